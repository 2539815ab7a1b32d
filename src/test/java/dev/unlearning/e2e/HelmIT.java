package dev.unlearning.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.unlearning.api.ShardedModel;
import dev.unlearning.api.UnlearningRequest;
import dev.unlearning.serving.InferenceServer;
import dev.unlearning.testcluster.DocumentedCommands;
import dev.unlearning.testcluster.DocumentedShell;
import dev.unlearning.testcluster.InferenceProbe;
import dev.unlearning.testcluster.LocalCluster;
import dev.unlearning.testcluster.OwnedClient;
import dev.unlearning.testcluster.ProjectPaths;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The README's real-node block, run as written: the local cluster with its real node, the image pushed to the
 * node's registry, the chart installed with helm (built from its Go module), and the operator running as the
 * chart's pod under the chart's service account and RBAC — no operator in this JVM, no pod runner. Between the
 * lines this test checks what they promise; the lines themselves are the README's. Before the last line stops the
 * cluster, {@link RealNodeScenario} runs a GPU Job on the same node (one real-node cluster for both).
 */
class HelmIT {

    static final String NS = "ml";
    static final String OPERATOR_NS = "unlearning-system";
    static final String HEADING = "### On a real node, with Helm, on this machine";

    static Path state;
    static Map<String, String> clusterEnv;
    static OwnedClient admin;

    @AfterAll
    static void stop() throws Exception {
        if (admin != null) {
            admin.close();
        }
        if (clusterEnv != null) {
            // The block ends with `cluster.sh stop`; this is for a block that failed before it.
            ProcessBuilder pb = new ProcessBuilder("bash", "test-cluster/cluster.sh", "stop")
                    .directory(ProjectPaths.root().toFile()).redirectErrorStream(true)
                    .redirectOutput(state.resolve("stop.log").toFile());
            pb.environment().putAll(clusterEnv);
            pb.start().waitFor();
        }
    }

    @Test
    void theReadmeRealNodeBlockRunsAsWritten() throws Exception {
        List<String> commands = DocumentedCommands.readmeBlock(ProjectPaths.root().resolve("README.md"), HEADING);
        assertThat(commands.get(0)).as("installing packages is .ci/run's job").startsWith("apt-get install ");
        assertThat(commands.get(1)).as("the jar is built by this Maven run").startsWith("./mvnw ");
        state = Files.createTempDirectory("helm-it");
        // The cluster's state and ports are private to this test; everything else is the block's own doing.
        clusterEnv = Map.of("CLUSTER_STATE_DIR", state.resolve("cluster").toString(),
                "CLUSTER_API_PORT", Integer.toString(LocalCluster.freePort()),
                "CLUSTER_ETCD_PORT", Integer.toString(LocalCluster.freePort()),
                "TEST_CLUSTER_DIR", ProjectPaths.testClusterDir().toString());
        Map<String, String> env = new HashMap<>(System.getenv());
        env.putAll(clusterEnv);
        DocumentedShell shell = new DocumentedShell(Files.createDirectories(state.resolve("logs")),
                Duration.ofMinutes(30), () -> admin == null ? null : admin.client(), NS, env);

        List<String> ran = new ArrayList<>();
        for (String command : commands.subList(2, commands.size())) {
            if (command.equals("test-cluster/cluster.sh stop")) {
                // Before the block stops the cluster: a GPU Job on the same real node, with the image it pushed.
                RealNodeScenario.run(admin.client(), state, shell.env().get("REGISTRY") + "/unlearning-operator:0.1.0");
            }
            String output = shell.run(command);
            ran.add(command);
            if (command.startsWith("eval ") && command.contains("cluster.sh start")) {
                Path kubeconfig = Path.of(shell.env().get("KUBECONFIG"));
                assertThat(shell.env()).as("what the README's next lines use").containsKey("REGISTRY");
                admin = OwnedClient.of(Config.fromKubeconfig(Files.readString(kubeconfig)));
            } else if (command.startsWith("kubectl -n unlearning-system rollout status") && !ran.contains("upgrade")) {
                operatorRunsAsItsOwnPod(shell.env().get("REGISTRY"));
                ran.add("upgrade");   // the next rollout is the upgrade's
            } else if (command.startsWith("kubectl -n ml wait") && command.contains("shardedmodel/fashion-mnist")) {
                trainedInContainersOnTheRealNode();
                assertThat(served(1)).as("version 1 at the serving pod's IP and the Service's cluster IP").isTrue();
            } else if (command.startsWith("kubectl -n ml get pods")) {
                assertThat(output).contains("real-node-0").doesNotContain("Pending");
            } else if (command.contains("unlearningrequest/forget-records-exact")) {
                await().atMost(Duration.ofMinutes(5)).ignoreExceptions().until(() -> served(2));
            } else if (command.startsWith("kubectl -n unlearning-system rollout status")) {
                upgradedOperatorLeads();
            } else if (command.startsWith("helm uninstall")) {
                await().atMost(Duration.ofMinutes(2)).until(() -> admin.client().apps().deployments()
                        .inNamespace(OPERATOR_NS).withName("unlearning-operator").get() == null);
            } else if (command.startsWith("kubectl -n ml get shardedmodel")) {
                keptAfterUninstall();
            }
        }
        assertThat(ran.get(ran.size() - 1)).as("the block ends by stopping the cluster")
                .isEqualTo("test-cluster/cluster.sh stop");
    }

    /** The chart's operator pod: ready, on the real node, as the chart's service account, image from the registry. */
    private static void operatorRunsAsItsOwnPod(String registry) {
        Pod pod = onlyPod(OPERATOR_NS, "app.kubernetes.io/name", "unlearning-operator");
        assertThat(pod.getSpec().getNodeName()).isEqualTo("real-node-0");
        assertThat(pod.getSpec().getServiceAccountName()).isEqualTo("unlearning-operator");
        assertThat(pod.getStatus().getContainerStatuses().get(0).getReady()).isTrue();
        assertThat(pod.getStatus().getContainerStatuses().get(0).getImage())
                .isEqualTo(registry + "/unlearning-operator:0.1.0");
        assertThat(pod.getSpec().getContainers().get(0).getEnv())
                .as("a namespaced install, so the operator's CRD check is off (it may not read CRDs)")
                .anySatisfy(e -> {
                    assertThat(e.getName()).isEqualTo("UNLEARNING_CRD_CHECK_ENABLED");
                    assertThat(e.getValue()).isEqualTo("false");
                });
    }

    private static void trainedInContainersOnTheRealNode() {
        KubernetesClient client = admin.client();
        assertThat(client.batch().v1().jobs().inNamespace(NS).list().getItems())
                .filteredOn(j -> j.getMetadata().getName().startsWith("fashion-mnist-train-"))
                .singleElement().satisfies(j -> assertThat(j.getSpec().getCompletionMode()).isEqualTo("Indexed"));
        List<Pod> training = client.pods().inNamespace(NS).list().getItems().stream()
                .filter(p -> p.getMetadata().getName().startsWith("fashion-mnist-train-")).toList();
        assertThat(training).as("one pod per shard").hasSizeGreaterThanOrEqualTo(4).allSatisfy(p -> {
            assertThat(p.getSpec().getNodeName()).isEqualTo("real-node-0");
            assertThat(p.getStatus().getContainerStatuses().get(0).getImageID())
                    .as("pulled from the registry").contains("unlearning-operator@sha256:");
        });
        assertThat(training).filteredOn(p -> "Succeeded".equals(p.getStatus().getPhase())).hasSizeGreaterThanOrEqualTo(4);
    }

    /** The leader lease follows the upgrade to the new operator pod, which has the upgraded limit. */
    private static void upgradedOperatorLeads() {
        Pod pod = onlyPod(OPERATOR_NS, "app.kubernetes.io/name", "unlearning-operator");
        assertThat(pod.getSpec().getContainers().get(0).getResources().getLimits())
                .containsEntry("memory", new Quantity("1536Mi"));
        await().atMost(Duration.ofMinutes(2)).untilAsserted(() -> assertThat(admin.client().leases()
                .inNamespace(OPERATOR_NS).withName("unlearning-operator-leader").get().getSpec().getHolderIdentity())
                .isEqualTo(pod.getMetadata().getName()));
    }

    /** Models, requests and serving are not the release's: they stay, and serving still answers. */
    private static void keptAfterUninstall() throws Exception {
        KubernetesClient client = admin.client();
        ShardedModel model = client.resources(ShardedModel.class).inNamespace(NS).withName("fashion-mnist").get();
        assertThat(model.getStatus().getServing().getVersion()).isEqualTo(2);
        UnlearningRequest request = client.resources(UnlearningRequest.class).inNamespace(NS)
                .withName("forget-records-exact").get();
        assertThat(request.getStatus().getPhase()).isEqualTo("Complete");
        assertThat(client.secrets().inNamespace(OPERATOR_NS).withName("unlearning-signing-keys").get())
                .as("the certificate signing key outlives the release").isNotNull();
        assertThat(served(2)).isTrue();
    }

    private static Pod onlyPod(String namespace, String label, String value) {
        await().atMost(Duration.ofMinutes(2)).until(() -> admin.client().pods().inNamespace(namespace)
                .withLabel(label, value).list().getItems().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null).count() == 1);
        return admin.client().pods().inNamespace(namespace).withLabel(label, value).list().getItems().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null).findFirst().orElseThrow();
    }

    /**
     * Whether every running serving pod of the model, at its pod IP, and the model's Service, at its cluster IP
     * (through kube-proxy), answer an Open Inference Protocol request with {@code version}.
     */
    private static boolean served(int version) throws Exception {
        KubernetesClient client = admin.client();
        List<Pod> servers = client.pods().inNamespace(NS).list().getItems().stream()
                .filter(p -> p.getMetadata().getName().startsWith("fashion-mnist-serving-")
                        && p.getMetadata().getDeletionTimestamp() == null && "Running".equals(p.getStatus().getPhase()))
                .toList();
        assertThat(servers).isNotEmpty().allSatisfy(p -> assertThat(p.getSpec().getNodeName()).isEqualTo("real-node-0"));
        List<String> addresses = new ArrayList<>();
        for (Pod server : servers) {
            addresses.add(server.getStatus().getPodIP() + ":" + server.getSpec().getContainers().get(0).getPorts().get(0)
                    .getContainerPort());
        }
        Service service = client.services().inNamespace(NS).list().getItems().stream()
                .filter(s -> s.getMetadata().getName().startsWith("fashion-mnist")).findFirst().orElseThrow();
        addresses.add(service.getSpec().getClusterIP() + ":" + service.getSpec().getPorts().get(0).getPort());
        for (String address : addresses) {
            HttpResponse<String> answer = InferenceProbe.infer(address, "fashion-mnist");
            if (answer.statusCode() != 200
                    || !answer.headers().firstValue(InferenceServer.VERSION_HEADER).orElse("").equals(Integer.toString(version))) {
                return false;
            }
        }
        return true;
    }
}
