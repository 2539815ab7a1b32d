package dev.unlearning.testcluster;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The whole local control plane (etcd, kube-apiserver, controller manager, scheduler, KWOK with fake GPU and
 * CPU nodes) through test-cluster/cluster.sh, on free ports and a private state directory, for end-to-end
 * tests: unlike kube-api-test's bare API server, Jobs and Deployments here are driven by the real controllers.
 */
public final class LocalCluster implements AutoCloseable {

    private final Path state;
    private final Map<String, String> env;
    private final OwnedClient client;

    private LocalCluster(Path state, Map<String, String> env, OwnedClient client) {
        this.state = state;
        this.env = env;
        this.client = client;
    }

    public static LocalCluster start() {
        return start(Map.of());
    }

    /** Starts with extra cluster.sh settings, e.g. CLUSTER_KWOK_PODS=simulate or CLUSTER_AUDIT_LOG. */
    public static LocalCluster start(Map<String, String> settings) {
        try {
            Path state = Files.createTempDirectory("local-cluster");
            Map<String, String> env = new HashMap<>(settings);
            env.put("CLUSTER_STATE_DIR", state.toString());
            env.put("CLUSTER_API_PORT", Integer.toString(freePort()));
            env.put("CLUSTER_ETCD_PORT", Integer.toString(freePort()));
            env.put("TEST_CLUSTER_DIR", ProjectPaths.testClusterDir().toString());
            try {
                run(state, env, "start");
            } catch (RuntimeException e) {
                // Whatever did start (etcd, the API server, a real node's containerd...) must not outlive the test.
                try {
                    run(state, env, "stop");
                } catch (RuntimeException stopFailed) {
                    e.addSuppressed(stopFailed);
                }
                throw e;
            }
            Config config = Config.fromKubeconfig(Files.readString(state.resolve("kubeconfig")));
            return new LocalCluster(state, env, OwnedClient.of(config));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public KubernetesClient client() {
        return client.client();
    }

    /** For processes that talk to the cluster themselves (KUBECONFIG). */
    public Path kubeconfig() {
        return state.resolve("kubeconfig");
    }

    /**
     * Kills the API server (SIGKILL: a crash, no graceful drain) and starts it again on the same port and etcd;
     * the other components and every client are expected to reconnect by themselves.
     */
    public void restartApiServer() {
        try {
            long pid = Long.parseLong(Files.readString(state.resolve("kube-apiserver.pid")).trim());
            ProcessHandle apiServer = ProcessHandle.of(pid).orElseThrow();
            apiServer.destroyForcibly();
            apiServer.onExit().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not stop the API server", e);
        }
        run(state, env, "start");
    }

    @Override
    public void close() {
        client.close();
        run(state, env, "stop");
    }

    private static void run(Path state, Map<String, String> env, String verb) {
        try {
            ProcessBuilder pb = new ProcessBuilder("bash", ProjectPaths.root().resolve("test-cluster/cluster.sh").toString(), verb)
                    .redirectErrorStream(true).redirectOutput(state.resolveSibling(state.getFileName() + "-" + verb + ".log").toFile());
            pb.environment().putAll(env);
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
