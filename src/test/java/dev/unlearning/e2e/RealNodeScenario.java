package dev.unlearning.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.unlearning.api.ShardedModel;
import dev.unlearning.api.UnlearningRequest;
import dev.unlearning.operator.conventions.RequestConditions;
import dev.unlearning.serving.InferenceServer;
import dev.unlearning.testcluster.ChartRbac;
import dev.unlearning.testcluster.ClusterSetup;
import dev.unlearning.testcluster.InferenceProbe;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A GPU Job in real containers, run by {@link HelmIT} on the real node its README block started (one real-node
 * cluster for both; the image is the one the block pushed to the registry on loopback). The operator (in the
 * test's JVM, under the chart's RBAC, configured for that image) trains a model whose Indexed Job runs on the real
 * node, each pod holding one of its fake GPUs, serves it from a Deployment whose pod answers the Open Inference
 * Protocol at its pod IP, and forgets two records exactly, serving the new version; a third version whose serving
 * pod cannot fit on the node is reported as a stalled rollout with the scheduler's reason.
 */
final class RealNodeScenario {

    static final String NS = "real";
    static final Duration SLOW = Duration.ofMinutes(6);
    static final Path FASHION_MNIST = Path.of("/usr/share/datasets/fashion-mnist");

    private static KubernetesClient client;

    private RealNodeScenario() {
    }

    /** {@code image}: the operator image as the node pulls it ({@code <registry>/unlearning-operator:<tag>}). */
    static void run(KubernetesClient admin, Path state, String image) throws Exception {
        client = admin;
        String repository = image.substring(0, image.lastIndexOf(':'));
        // The claim is a hostPath volume on the real node (this machine), holding the dataset and the store,
        // owned by the pods' UID.
        Path volume = Files.createDirectories(state.resolve("volume"));
        Path dataset = Files.createDirectories(volume.resolve("datasets/fashion-mnist"));
        try (var files = Files.list(FASHION_MNIST)) {
            for (Path file : files.toList()) {
                Files.copy(file, dataset.resolve(file.getFileName()));
            }
        }
        Process chown = new ProcessBuilder("chown", "-R", "1000:1000", volume.toString()).inheritIO().start();
        assertThat(chown.waitFor(1, TimeUnit.MINUTES) && chown.exitValue() == 0).as("chown the volume").isTrue();
        client.load(new ByteArrayInputStream("""
                apiVersion: v1
                kind: Namespace
                metadata: {name: real}
                ---
                apiVersion: v1
                kind: ServiceAccount
                metadata: {name: unlearning-worker, namespace: real}
                automountServiceAccountToken: false
                ---
                apiVersion: v1
                kind: PersistentVolume
                metadata: {name: real-models}
                spec:
                  capacity: {storage: 10Gi}
                  accessModes: [ReadWriteMany]
                  storageClassName: manual
                  hostPath: {path: %s}
                ---
                apiVersion: v1
                kind: PersistentVolumeClaim
                metadata: {name: models, namespace: real}
                spec:
                  accessModes: [ReadWriteMany]
                  storageClassName: manual
                  volumeName: real-models
                  resources: {requests: {storage: 10Gi}}
                """.formatted(volume).getBytes(StandardCharsets.UTF_8))).serverSideApply();
        ChartRbac.Install install = ChartRbac.apply(client, "unlearning-operator", NS, List.of(),
                Map.of("image.repository", repository, "image.tag", image.substring(image.lastIndexOf(':') + 1)));
        Operator operator = ClusterSetup.startOperator(client, install, List.of(NS));
        try {
            trainsServesAndForgetsInRealContainers();
        } finally {
            operator.stop();
        }
    }

    private static void trainsServesAndForgetsInRealContainers() throws Exception {
        client.resource("""
                apiVersion: unlearning.dev/v1alpha1
                kind: ShardedModel
                metadata: {name: boxed}
                spec:
                  dataset: {uri: "pvc://models/datasets/fashion-mnist"}
                  storage: {uri: "pvc://models/boxed"}
                  architecture: {type: mlp, hidden: [32]}
                  sharding: {shards: 2, slices: 2}
                  training: {epochs: 1, batchSize: 128}
                  serving:
                    replicas: 1
                    port: 8080
                    resources: {requests: {cpu: 200m, memory: 512Mi}, limits: {cpu: "1", memory: 1536Mi}}
                  unlearning: {batchingWindowSeconds: 1}
                  runtime:
                    gpus: 1
                    nodeSelector: {unlearning.dev/real-node: "true"}
                    resources: {requests: {cpu: 200m, memory: 512Mi}, limits: {cpu: "1", memory: 1536Mi}}
                """).inNamespace(NS).create();
        await().atMost(SLOW).pollInterval(Duration.ofSeconds(2))
                .until(() -> Integer.valueOf(1).equals(model().getStatus().getServing().getVersion()));

        List<Pod> trainingPods = pods("boxed-train-");
        assertThat(trainingPods).as("one pod per shard of the Indexed Job").hasSizeGreaterThanOrEqualTo(2)
                .allSatisfy(p -> {
                    assertThat(p.getSpec().getNodeName()).isEqualTo("real-node-0");
                    assertThat(p.getSpec().getContainers().get(0).getResources().getLimits())
                            .as("a fake GPU of the node's device plugin").containsKey("nvidia.com/gpu");
                    assertThat(p.getStatus().getContainerStatuses().get(0).getImageID())
                            .as("pulled from the registry").contains("unlearning-operator@sha256:");
                    assertThat(p.getStatus().getContainerStatuses().get(0).getState().getTerminated().getExitCode())
                            .isZero();
                });
        assertThat(served("1")).isTrue();

        client.resource("""
                apiVersion: unlearning.dev/v1alpha1
                kind: UnlearningRequest
                metadata: {name: forget}
                spec:
                  modelRef: {name: boxed}
                  forget: {recordIds: [train-17, train-4242]}
                  method: Exact
                """).inNamespace(NS).create();
        await().atMost(SLOW).pollInterval(Duration.ofSeconds(2)).until(() -> {
            UnlearningRequest r = client.resources(UnlearningRequest.class).inNamespace(NS).withName("forget").get();
            return r.getStatus() != null && ("Complete".equals(r.getStatus().getPhase())
                    || "Failed".equals(r.getStatus().getPhase()));
        });
        UnlearningRequest done = client.resources(UnlearningRequest.class).inNamespace(NS).withName("forget").get();
        assertThat(done.getStatus().condition(RequestConditions.COMPLETE).map(c -> c.getStatus()))
                .as("%s", done.getStatus().getConditions()).contains("True");
        await().atMost(SLOW).ignoreExceptions().until(() -> served("2"));

        // A rollout that cannot happen says why: version 3's pod asks for more CPU than the node has.
        client.resources(ShardedModel.class).inNamespace(NS).withName("boxed").edit(m -> {
            m.getSpec().getServing().getResources().getRequests().put("cpu", new Quantity("64"));
            m.getSpec().getServing().getResources().getLimits().put("cpu", new Quantity("64"));
            return m;
        });
        client.resource("""
                apiVersion: unlearning.dev/v1alpha1
                kind: UnlearningRequest
                metadata: {name: forget-more}
                spec:
                  modelRef: {name: boxed}
                  forget: {recordIds: [train-99]}
                  method: Exact
                """).inNamespace(NS).create();
        await().atMost(SLOW).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
            UnlearningRequest r = client.resources(UnlearningRequest.class).inNamespace(NS).withName("forget-more").get();
            assertThat(r.getStatus().condition(RequestConditions.ROLLED_OUT)).hasValueSatisfying(c -> {
                assertThat(c.getReason()).isEqualTo("RolloutStalled");
                assertThat(c.getMessage()).contains("version 3 is not rolling out", "cannot be scheduled",
                        "Insufficient cpu");
            });
        });
        assertThat(model().getStatus().getServing().getVersion()).as("version 2 still serves").isEqualTo(2);
        assertThat(client.v1().events().inNamespace(NS).list().getItems())
                .anySatisfy(e -> assertThat(e.getReason()).isEqualTo("RolloutStalled"));
    
    }

    /** Whether the serving pod answers an inference at its pod IP with {@code version}. */
    private static boolean served(String version) throws Exception {
        Pod server = pods("boxed-serving").stream()
                .filter(p -> p.getStatus().getPodIP() != null && p.getMetadata().getDeletionTimestamp() == null
                        && "Running".equals(p.getStatus().getPhase()))
                .findFirst().orElseThrow();
        assertThat(server.getSpec().getNodeName()).isEqualTo("real-node-0");
        HttpResponse<String> answer = InferenceProbe.infer(server.getStatus().getPodIP() + ":8080", "boxed");
        return answer.statusCode() == 200
                && answer.headers().firstValue(InferenceServer.VERSION_HEADER).orElse("").equals(version);
    }

    private static List<Pod> pods(String prefix) {
        return client.pods().inNamespace(NS).list().getItems().stream()
                .filter(p -> p.getMetadata().getName().startsWith(prefix)).toList();
    }

    private static ShardedModel model() {
        return client.resources(ShardedModel.class).inNamespace(NS).withName("boxed").get();
    }
}
