package dev.unlearning.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.unlearning.api.RunPhase;
import dev.unlearning.api.ShardedModel;
import dev.unlearning.api.TrainingPhase;
import dev.unlearning.api.UnlearningRequest;
import dev.unlearning.engine.training.ShardArtifacts;
import dev.unlearning.operator.conventions.Labels;
import dev.unlearning.operator.conventions.RequestConditions;
import dev.unlearning.store.FileBlobStore;
import dev.unlearning.store.ModelRepository;
import dev.unlearning.store.ShardEntry;
import dev.unlearning.testcluster.ClusterSetup;
import dev.unlearning.testcluster.LocalCluster;
import dev.unlearning.testcluster.PodRunner;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The fault table of the README, on the local cluster with real workers: the operator restarted in every
 * phase, the API server restarted mid-run, and a store that fails a write. In each case nothing is lost, no
 * partial version is published or served, and no Job runs twice.
 */
class FaultsIT {

    static final String NS = "faults";
    static final Duration SLOW = Duration.ofMinutes(4);

    static LocalCluster cluster;
    static KubernetesClient client;
    static PodRunner runner;
    static Operator operator;

    @BeforeAll
    static void start() throws Exception {
        cluster = LocalCluster.start();
        client = cluster.client();
        ClusterSetup.installCrds(client);
        ClusterSetup.workerNamespace(client, NS, "models", "faults-certificate-key-0123456789");
        runner = new PodRunner(client, NS, Files.createTempDirectory("pod-runner"));
        operator = ClusterSetup.startOperator(client, NS);
    }

    @AfterAll
    static void stop() {
        if (operator != null) {
            operator.stop();
        }
        if (runner != null) {
            runner.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    static void restartOperatorWhen(String phase, Callable<Boolean> inPhase, List<String> restartedIn) {
        await(phase).atMost(SLOW).pollInterval(Duration.ofMillis(100)).until(inPhase);
        operator.stop();
        operator = ClusterSetup.startOperator(client, NS);
        restartedIn.add(phase);
    }

    @Test
    void theOperatorRestartedInEveryPhaseLosesNothingAndDuplicatesNoJob() throws Exception {
        client.resource(model("restarts", 1)).inNamespace(NS).create();
        List<String> restartedIn = new ArrayList<>();
        restartOperatorWhen("training", () -> trainingPhase("restarts") == TrainingPhase.TRAINING, restartedIn);
        restartOperatorWhen("publishing", () -> trainingPhase("restarts") == TrainingPhase.PUBLISHING, restartedIn);
        await().atMost(SLOW).until(() -> model("restarts").getStatus() != null
                && Integer.valueOf(1).equals(model("restarts").getStatus().getServing().getVersion()));

        client.resource("""
                apiVersion: unlearning.dev/v1alpha1
                kind: UnlearningRequest
                metadata: {name: restarts-forget}
                spec: {modelRef: {name: restarts}, forget: {recordIds: [train-5, train-77]}, method: Exact}
                """).inNamespace(NS).create();
        restartOperatorWhen("unlearning", () -> batchPhase("restarts") == RunPhase.UNLEARNING, restartedIn);
        restartOperatorWhen("finalizing", () -> batchPhase("restarts") == RunPhase.FINALIZING, restartedIn);
        restartOperatorWhen("rolling out", () -> {
            UnlearningRequest r = request("restarts-forget");
            return EndToEndIT.isTrue(r, RequestConditions.VERIFIED) && !EndToEndIT.isTrue(r, RequestConditions.ROLLED_OUT);
        }, restartedIn);
        restartOperatorWhen("erasing", () -> model("restarts").getStatus().erasureLane().getRun() != null, restartedIn);

        UnlearningRequest done = EndToEndIT.awaitFinished(client, NS, "restarts-forget");
        assertThat(restartedIn).containsExactly("training", "publishing", "unlearning", "finalizing", "rolling out",
                "erasing");
        assertThat(EndToEndIT.isTrue(done, RequestConditions.COMPLETE)).as("%s", done.getStatus().getConditions()).isTrue();
        assertThat(done.getStatus().getResultingVersion()).isEqualTo(2);
        assertThat(done.getStatus().getBatch()).as("planned once").isEqualTo("u1");
        assertThat(model("restarts").getStatus().unlearningLane().getStarted()).isEqualTo(1);
        assertThat(jobsByRole("restarts")).as("one Job per step, none duplicated")
                .isEqualTo(Map.of("train", 1L, "publish", 1L, "unlearn", 1L, "finalize", 1L, "erase", 1L));
        assertThat(versions("restarts")).as("version 1 held the records and was erased").containsExactly(2);
        await().atMost(Duration.ofSeconds(60)).until(() -> "2".equals(EndToEndIT.servedVersion(runner, "restarts")));
        for (ShardEntry shard : store("restarts").version(2).shards()) {
            assertThat(ShardArtifacts.membership(store("restarts"), shard)).doesNotContain("train-5", "train-77");
        }
    }

    @Test
    void anApiServerRestartMidRunLosesNothing() throws Exception {
        client.resource(model("apiserver", 0)).inNamespace(NS).create();
        await().atMost(SLOW).until(() -> currentVersion("apiserver") == 1);
        client.resource("""
                apiVersion: unlearning.dev/v1alpha1
                kind: UnlearningRequest
                metadata: {name: apiserver-forget}
                spec: {modelRef: {name: apiserver}, forget: {recordIds: [train-11]}, method: Exact}
                """).inNamespace(NS).create();
        await().atMost(SLOW).pollInterval(Duration.ofMillis(100)).until(() -> batchPhase("apiserver") == RunPhase.UNLEARNING);

        cluster.restartApiServer();

        UnlearningRequest done = EndToEndIT.awaitFinished(client, NS, "apiserver-forget");
        assertThat(EndToEndIT.isTrue(done, RequestConditions.COMPLETE)).as("%s", done.getStatus().getConditions()).isTrue();
        assertThat(done.getStatus().getResultingVersion()).isEqualTo(2);
        assertThat(jobsByRole("apiserver")).isEqualTo(Map.of("train", 1L, "publish", 1L, "unlearn", 1L, "finalize", 1L,
                "erase", 1L));
        assertThat(versions("apiserver")).containsExactly(2);
    }

    @Test
    void aStoreThatFailsAWritePublishesNothingAndTheNextRequestSucceeds() throws Exception {
        client.resource(model("store", 0)).inNamespace(NS).create();
        await().atMost(SLOW).until(() -> currentVersion("store") == 1);

        // The unlearning worker stages each shard's result at staging/unlearn-<run>/shard-<n>.json; a non-empty
        // directory in that place makes the write fail, as a full or read-only volume would.
        Path modelRoot = versionsDir("store").getParent();
        List<Path> blockers = new ArrayList<>();
        for (int shard = 0; shard < 2; shard++) {
            Path blocker = modelRoot.resolve("staging/unlearn-u1-exact/shard-" + shard + ".json/blocker");
            Files.createDirectories(blocker.getParent());
            blockers.add(Files.writeString(blocker, "the store refuses this write"));
        }
        client.resource("""
                apiVersion: unlearning.dev/v1alpha1
                kind: UnlearningRequest
                metadata: {name: store-blocked}
                spec: {modelRef: {name: store}, forget: {recordIds: [train-5]}, method: Exact}
                """).inNamespace(NS).create();
        UnlearningRequest failed = EndToEndIT.awaitFinished(client, NS, "store-blocked");
        assertThat(EndToEndIT.isTrue(failed, RequestConditions.FAILED)).as("%s", failed.getStatus().getConditions()).isTrue();
        assertThat(failed.getStatus().condition(RequestConditions.FAILED).orElseThrow().getReason())
                .isEqualTo("UnlearningJobFailed");
        assertThat(failed.getStatus().getResultingVersion()).isNull();
        assertThat(versions("store")).as("no partial version").containsExactly(1);
        assertThat(model("store").getStatus().getPublished().getCurrentVersion()).isEqualTo(1);

        for (Path blocker : blockers) {
            Files.delete(blocker);
            Files.delete(blocker.getParent());
        }
        client.resource("""
                apiVersion: unlearning.dev/v1alpha1
                kind: UnlearningRequest
                metadata: {name: store-retry}
                spec: {modelRef: {name: store}, forget: {recordIds: [train-5]}, method: Exact}
                """).inNamespace(NS).create();
        UnlearningRequest done = EndToEndIT.awaitFinished(client, NS, "store-retry");
        assertThat(EndToEndIT.isTrue(done, RequestConditions.COMPLETE)).as("%s", done.getStatus().getConditions()).isTrue();
        assertThat(done.getStatus().getResultingVersion()).isEqualTo(2);
        assertThat(versions("store")).containsExactly(2);
        for (ShardEntry shard : store("store").version(2).shards()) {
            assertThat(ShardArtifacts.membership(store("store"), shard)).doesNotContain("train-5");
        }
    }

    /** A small Fashion-MNIST model; a failed worker fails its Job at once (no retries) to keep the table quick. */
    static String model(String name, int replicas) {
        return """
                apiVersion: unlearning.dev/v1alpha1
                kind: ShardedModel
                metadata: {name: %s}
                spec:
                  dataset: {uri: "file:///usr/share/datasets/fashion-mnist"}
                  storage: {uri: "pvc://models/%s"}
                  architecture: {type: mlp, hidden: [32]}
                  sharding: {shards: 2, slices: 2}
                  training: {epochs: 1, batchSize: 128}
                  runtime: {backoffLimit: 0}
                  serving: {replicas: %d, port: 8080}
                  unlearning: {batchingWindowSeconds: 1}
                """.formatted(name, name, replicas);
    }

    static ShardedModel model(String name) {
        return client.resources(ShardedModel.class).inNamespace(NS).withName(name).get();
    }

    static UnlearningRequest request(String name) {
        return client.resources(UnlearningRequest.class).inNamespace(NS).withName(name).get();
    }

    static int currentVersion(String model) {
        ShardedModel m = model(model);
        return m == null || m.getStatus() == null || m.getStatus().getPublished().getCurrentVersion() == null ? 0
                : m.getStatus().getPublished().getCurrentVersion();
    }

    static TrainingPhase trainingPhase(String model) {
        ShardedModel m = model(model);
        return m == null || m.getStatus() == null || m.getStatus().trainingLane().getRun() == null ? null
                : m.getStatus().trainingLane().getRun().getPhase();
    }

    static RunPhase batchPhase(String model) {
        ShardedModel m = model(model);
        return m == null || m.getStatus() == null || m.getStatus().unlearningLane().getActiveRun() == null ? null
                : m.getStatus().unlearningLane().getActiveRun().getPhase();
    }

    static Map<String, Long> jobsByRole(String model) {
        return client.batch().v1().jobs().inNamespace(NS).withLabel(Labels.MODEL, model).list().getItems().stream()
                .collect(Collectors.groupingBy((Job j) -> j.getMetadata().getLabels().get(Labels.ROLE), Collectors.counting()));
    }

    static Path versionsDir(String model) throws Exception {
        try (Stream<Path> files = Files.walk(runner.claims().resolve("models/" + model))) {
            return files.filter(p -> p.getFileName().toString().equals("versions") && Files.isDirectory(p))
                    .findFirst().orElseThrow();
        }
    }

    static List<Integer> versions(String model) throws Exception {
        try (Stream<Path> files = Files.list(versionsDir(model))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.matches("\\d+\\.json"))
                    .map(n -> Integer.parseInt(n.substring(0, n.length() - ".json".length()))).sorted().toList();
        }
    }

    static ModelRepository store(String model) {
        return new ModelRepository(new FileBlobStore(runner.claims().resolve("models/" + model)), NS, model);
    }
}
