package dev.unlearning.testcluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.unlearning.api.ShardedModel;
import dev.unlearning.api.UnlearningRequest;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs documented commands with bash in the repository root, one after another, as a reader pasting them into
 * one terminal would: what a command exports (an {@code eval "$(cluster.sh start)"}, say) is there for the
 * next. A {@code kubectl wait} for a request or model that has already failed is stopped with the failure's
 * reason rather than left to its timeout.
 */
public final class DocumentedShell {

    private final Path logs;
    private final Duration timeout;
    private final Supplier<KubernetesClient> client;
    private final String namespace;
    private final Map<String, String> env;

    /**
     * @param client   the admin client to read failures with (a supplier: the cluster may be started by a command)
     * @param namespace where the models and requests that wait commands name live
     */
    public DocumentedShell(Path logs, Duration timeout, Supplier<KubernetesClient> client, String namespace,
            Map<String, String> env) {
        this.logs = logs;
        this.timeout = timeout;
        this.client = client;
        this.namespace = namespace;
        this.env = new HashMap<>(env);
    }

    /** The environment the next command starts with. */
    public Map<String, String> env() {
        return Map.copyOf(env);
    }

    /** Runs one command; its output. Fails the test if it fails, or waits for what already failed. */
    public String run(String command) {
        try {
            Path log = Files.createTempFile(logs, "command-", ".log");
            Path after = Files.createTempFile(logs, "env-", ".bin");
            // The command runs as written; the environment it leaves is saved after it, for the next one.
            String script = command + "\nenv -0 > '" + after + "'\n";
            ProcessBuilder pb = new ProcessBuilder("bash", "-euo", "pipefail", "-c", script)
                    .directory(ProjectPaths.root().toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().clear();
            pb.environment().putAll(env);
            Process process = pb.start();
            long deadline = System.nanoTime() + timeout.toNanos();
            String failure = null;
            while (!process.waitFor(2, TimeUnit.SECONDS) && System.nanoTime() < deadline) {
                failure = failureOf(command);
                if (failure != null) {
                    break;
                }
            }
            boolean ended = !process.isAlive();
            if (!ended) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
            String output = Files.readString(log);
            assertThat(failure).as("`%s` waits for what already failed", command).isNull();
            assertThat(ended && process.exitValue() == 0).as("`%s` failed:%n%s", command, output).isTrue();
            env.clear();
            for (String entry : Files.readString(after, StandardCharsets.UTF_8).split("\0")) {
                int eq = entry.indexOf('=');
                if (eq > 0) {
                    env.put(entry.substring(0, eq), entry.substring(eq + 1));
                }
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** What made the request or model a wait command names fail, if it did. */
    private String failureOf(String command) {
        KubernetesClient c = client.get();
        if (c == null) {
            return null;
        }
        Matcher request = Pattern.compile("unlearningrequest/([a-z0-9-]+)").matcher(command);
        if (request.find()) {
            UnlearningRequest r = c.resources(UnlearningRequest.class).inNamespace(namespace)
                    .withName(request.group(1)).get();
            return r != null && r.getStatus() != null && "Failed".equals(r.getStatus().getPhase())
                    ? r.getStatus().getConditions().toString() : null;
        }
        Matcher model = Pattern.compile("shardedmodel/([a-z0-9-]+)").matcher(command);
        if (model.find()) {
            ShardedModel m = c.resources(ShardedModel.class).inNamespace(namespace).withName(model.group(1)).get();
            if (m == null || m.getStatus() == null) {
                return null;
            }
            return m.getStatus().condition("Training").filter(t -> "TrainingFailed".equals(t.getReason()))
                    .or(() -> m.getStatus().condition("Degraded").filter(d -> "True".equals(d.getStatus())
                            && !"ReconcileError".equals(d.getReason())))
                    .map(f -> f.getReason() + ": " + f.getMessage()).orElse(null);
        }
        return null;
    }
}
