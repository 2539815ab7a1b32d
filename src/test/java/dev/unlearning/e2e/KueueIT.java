package dev.unlearning.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.unlearning.api.ShardedModel;
import dev.unlearning.api.UnlearningRequest;
import dev.unlearning.operator.conventions.ModelConditions;
import dev.unlearning.testcluster.ClusterSetup;
import dev.unlearning.testcluster.LocalCluster;
import dev.unlearning.testcluster.LocalKueue;
import dev.unlearning.testcluster.ProjectPaths;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Kueue for real: built from its Go module, running against the local cluster with its webhooks, the queue
 * objects from manifests/kueue/queues.yaml applied verbatim. Two models each want the queue's 4 GPUs: the
 * first is admitted, the second waits suspended and says why on its status, and runs once the first is gone.
 * No pod runner: admitted pods simply stay on the fake GPU nodes, holding their quota.
 */
class KueueIT {

    static final String NS = "queued";
    static final Duration WAIT = Duration.ofMinutes(2);

    static LocalCluster cluster;
    static LocalKueue kueue;
    static KubernetesClient client;
    static Operator operator;

    @BeforeAll
    static void start() throws Exception {
        cluster = LocalCluster.start();
        client = cluster.client();
        ClusterSetup.installCrds(client);
        ClusterSetup.workerNamespace(client, NS, "models", "kueue-id-key-0123456789");
        kueue = LocalKueue.start(client, cluster.kubeconfig(), cluster.kubeconfig().getParent());
        client.load(Files.newInputStream(ProjectPaths.root().resolve("manifests/kueue/queues.yaml")))
                .inNamespace(NS).serverSideApply();
        operator = ClusterSetup.startOperator(client, NS);
    }

    @AfterAll
    static void stop() {
        if (operator != null) {
            operator.stop();
        }
        if (kueue != null) {
            kueue.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void twoModelsCompetingForFourGpusQueueAndTheSecondRunsWhenQuotaFrees() {
        createModel("first");
        Job first = awaitTrainingJob("first");
        await().atMost(WAIT).until(() -> Boolean.FALSE.equals(trainingJob("first").getSpec().getSuspend()));
        assertThat(first.getMetadata().getLabels()).containsEntry("kueue.x-k8s.io/queue-name", "gpu-queue");

        createModel("second");
        awaitTrainingJob("second");
        await().atMost(WAIT).until(() -> queued("second").map(c -> "True".equals(c.getStatus())).orElse(false));
        assertThat(trainingJob("second").getSpec().getSuspend()).as("held back by Kueue").isTrue();
        Condition waiting = queued("second").orElseThrow();
        assertThat(waiting.getReason()).isEqualTo("WaitingForQuota");
        assertThat(waiting.getMessage()).contains("gpu-queue").contains("insufficient unused quota for nvidia.com/gpu");
        assertThat(model("second").getStatus().getProgress()).isEqualTo("queued for quota");
        assertThat(queued("first").map(Condition::getStatus)).contains("False");

        // A request for the queued model: its deadline is reported, and so is what it waits for.
        client.resource("""
                apiVersion: unlearning.dev/v1alpha1
                kind: UnlearningRequest
                metadata: {name: early}
                spec:
                  modelRef: {name: second}
                  forget: {recordIds: [train-1]}
                  deadline: "2030-01-01T00:00:00Z"
                """).inNamespace(NS).create();
        await().atMost(WAIT).until(() -> "WaitingForQuota".equals(requestPhase("early")));
        UnlearningRequest early = client.resources(UnlearningRequest.class).inNamespace(NS).withName("early").get();
        assertThat(early.getStatus().condition("Queued").orElseThrow().getMessage()).contains("gpu-queue");
        assertThat(early.getSpec().getDeadline()).isEqualTo("2030-01-01T00:00:00Z");

        client.resources(ShardedModel.class).inNamespace(NS).withName("first").delete();
        await().atMost(WAIT).until(() -> Boolean.FALSE.equals(trainingJob("second").getSpec().getSuspend()));
        await().atMost(WAIT).until(() -> queued("second").map(c -> "False".equals(c.getStatus())).orElse(false));
        assertThat(model("second").getStatus().getProgress()).startsWith("training ");
    }

    private static void createModel(String name) {
        client.resource("""
                apiVersion: unlearning.dev/v1alpha1
                kind: ShardedModel
                metadata: {name: %s}
                spec:
                  dataset: {uri: "file:///usr/share/datasets/fashion-mnist"}
                  storage: {uri: "pvc://models/%s"}
                  sharding: {shards: 4, slices: 1}
                  serving: {replicas: 0}
                  runtime:
                    gpus: 1
                    parallelism: 4
                    tolerations: [{key: nvidia.com/gpu, operator: Exists, effect: NoSchedule}]
                    labels: {kueue.x-k8s.io/queue-name: gpu-queue}
                """.formatted(name, name)).inNamespace(NS).create();
    }

    private static String requestPhase(String name) {
        UnlearningRequest request = client.resources(UnlearningRequest.class).inNamespace(NS).withName(name).get();
        return request == null || request.getStatus() == null ? null : request.getStatus().getPhase();
    }

    private static Job awaitTrainingJob(String model) {
        await().atMost(WAIT).until(() -> trainingJob(model) != null);
        return trainingJob(model);
    }

    private static Job trainingJob(String model) {
        return client.batch().v1().jobs().inNamespace(NS).list().getItems().stream()
                .filter(j -> j.getMetadata().getName().startsWith(model + "-train-")).findFirst().orElse(null);
    }

    private static ShardedModel model(String name) {
        return client.resources(ShardedModel.class).inNamespace(NS).withName(name).get();
    }

    private static Optional<Condition> queued(String name) {
        ShardedModel model = model(name);
        return model == null || model.getStatus() == null ? Optional.empty()
                : model.getStatus().condition(ModelConditions.QUEUED);
    }
}
