package dev.unlearning.bench;

import dev.unlearning.testcluster.LocalCluster;
import dev.unlearning.testcluster.ProjectPaths;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The operator as it runs in production: the packaged jar's {@code operator} role in its own JVM with a
 * capped heap, talking to the cluster through a kubeconfig; its heap is read from its own /q/metrics.
 */
final class OperatorProcess implements AutoCloseable {

    private final Process process;
    private final int port;
    private final HttpClient http = HttpClient.newHttpClient();

    private OperatorProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * Starts the operator and waits until it reports ready. Like a kubelet, restarts it when it exits during
     * startup (the SDK stops the operator when an informer cannot start, e.g. a connection closed at once).
     */
    static OperatorProcess start(Path kubeconfig, String namespace, String maxHeap, Path log) throws Exception {
        Path jar = ProjectPaths.root().resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.isReadable(jar)) {
            throw new IllegalStateException(jar + " is missing: run ./mvnw package -DskipTests first");
        }
        for (int attempt = 1; ; attempt++) {
            int port = LocalCluster.freePort();
            ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx" + maxHeap, "-XX:+ExitOnOutOfMemoryError", "-jar", jar.toString(), "operator")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            pb.environment().putAll(Map.of("KUBECONFIG", kubeconfig.toString(), "WATCH_NAMESPACES", namespace,
                    "QUARKUS_HTTP_PORT", Integer.toString(port), "UNLEARNING_NAMESPACE", namespace));
            OperatorProcess operator = new OperatorProcess(pb.start(), port);
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            while (operator.process.isAlive() && !operator.ready()) {
                if (System.nanoTime() > deadline) {
                    operator.process.destroyForcibly();
                    throw new IllegalStateException("the operator did not become ready in 3 minutes; see " + log);
                }
                Thread.sleep(200);
            }
            if (operator.process.isAlive()) {
                return operator;
            }
            System.err.printf("[scale] the operator exited during startup (%d), restarting; see %s%n",
                    operator.process.exitValue(), log);
            if (attempt == 3) {
                throw new IllegalStateException("the operator exited during startup 3 times; see " + log);
            }
        }
    }

    private boolean ready() {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    boolean alive() {
        return process.isAlive();
    }

    /** Heap now: used bytes over all heap pools, and the live data the last major collection left. */
    record Heap(double usedBytes, double liveAfterGcBytes) {
    }

    Heap heap() throws Exception {
        String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return new Heap(sum(metrics, "jvm_memory_used_bytes{area=\"heap\""), sum(metrics, "jvm_gc_live_data_size_bytes"));
    }

    private static double sum(String metrics, String prefix) {
        return List.of(metrics.split("\n")).stream().filter(l -> l.startsWith(prefix))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    /** Live heap after a full collection (jcmd GC.class_histogram forces one) and its largest classes. */
    record LiveHeap(double totalMb, List<String> topClasses) {
    }

    LiveHeap liveHeap(int top) throws Exception {
        Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(process.pid()), "GC.class_histogram").redirectErrorStream(true).start();
        List<String> lines = new String(jcmd.getInputStream().readAllBytes()).lines().toList();
        jcmd.waitFor();
        String total = lines.stream().filter(l -> l.startsWith("Total")).findFirst()
                .orElseThrow(() -> new IllegalStateException("no histogram: " + lines));
        double bytes = Double.parseDouble(total.trim().split("\\s+")[2]);
        List<String> classes = lines.stream().filter(l -> l.matches("\\s*\\d+:\\s+\\d+\\s+\\d+\\s+.*")).limit(top)
                .map(l -> {
                    String[] f = l.trim().split("\\s+");
                    return String.format("%s %.1f MB (%s instances)", f[3], Double.parseDouble(f[2]) / (1 << 20), f[1]);
                }).toList();
        return new LiveHeap(bytes / (1 << 20), classes);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
