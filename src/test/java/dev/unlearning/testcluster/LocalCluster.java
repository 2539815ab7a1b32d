package dev.unlearning.testcluster;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The whole local control plane (etcd, kube-apiserver, controller manager, scheduler, KWOK with fake GPU and
 * CPU nodes) through test-cluster/cluster.sh, on free ports and a private state directory, for end-to-end
 * tests: unlike kube-api-test's bare API server, Jobs and Deployments here are driven by the real controllers.
 */
public final class LocalCluster implements AutoCloseable {

    private final Path state;
    private final KubernetesClient client;

    private LocalCluster(Path state, KubernetesClient client) {
        this.state = state;
        this.client = client;
    }

    public static LocalCluster start() {
        try {
            Path state = Files.createTempDirectory("local-cluster");
            run(state, "start");
            Config config = Config.fromKubeconfig(Files.readString(state.resolve("kubeconfig")));
            return new LocalCluster(state, new KubernetesClientBuilder().withConfig(config).build());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public KubernetesClient client() {
        return client;
    }

    @Override
    public void close() {
        client.close();
        run(state, "stop");
    }

    private static void run(Path state, String verb) {
        try {
            ProcessBuilder pb = new ProcessBuilder("bash", ProjectPaths.root().resolve("test-cluster/cluster.sh").toString(), verb)
                    .redirectErrorStream(true).redirectOutput(state.resolveSibling(state.getFileName() + "-" + verb + ".log").toFile());
            pb.environment().put("CLUSTER_STATE_DIR", state.toString());
            pb.environment().put("CLUSTER_API_PORT", Integer.toString(freePort()));
            pb.environment().put("CLUSTER_ETCD_PORT", Integer.toString(freePort()));
            pb.environment().put("TEST_CLUSTER_DIR", ProjectPaths.testClusterDir().toString());
            Process p = pb.start();
            if (!p.waitFor(180, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("cluster.sh " + verb + " failed; see "
                        + state.resolveSibling(state.getFileName() + "-" + verb + ".log"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
