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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The serve role as a pod runs it: the packaged jar in its own JVM with a capped heap, so its memory is its
 * own and measurable (/proc/pid/status), and an out-of-memory error ends it instead of leaving it half alive.
 */
final class ServeProcess implements AutoCloseable {

    private final Process process;
    private final int port;

    private ServeProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static ServeProcess start(Path modelFile, String maxHeap, List<String> options, Path log) throws Exception {
        Path jar = ProjectPaths.root().resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.isReadable(jar)) {
            throw new IllegalStateException(jar + " is missing: run ./mvnw package -DskipTests first");
        }
        int port = LocalCluster.freePort();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + maxHeap, "-XX:+ExitOnOutOfMemoryError", "-Dai.djl.offline=true",
                "-Dquarkus.http.port=" + LocalCluster.freePort(), "-jar", jar.toString(),
                "serve", "--model", modelFile.toString(), "--host", "127.0.0.1", "--port", Integer.toString(port)));
        command.addAll(options);
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        ServeProcess serve = new ServeProcess(process, port);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (!serve.ready(http)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new IllegalStateException("serve did not become ready; see " + log);
            }
            Thread.sleep(200);
        }
        return serve;
    }

    private boolean ready(HttpClient http) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url("/v2/health/ready"))).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    int port() {
        return port;
    }

    boolean alive() {
        return process.isAlive();
    }

    /** Resident memory now (VmRSS), in MiB; NaN once the process is gone. */
    double rssMb() {
        return statusMb("VmRSS:");
    }

    /** The most resident memory the process ever had (VmHWM, the kernel's high-water mark), in MiB. */
    double peakRssMb() {
        return statusMb("VmHWM:");
    }

    private double statusMb(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]) / 1024.0;
                }
            }
        } catch (IOException e) {
            // gone
        }
        return Double.NaN;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
