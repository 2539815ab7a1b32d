package dev.unlearning.cli;

import dev.unlearning.api.worker.WorkerInvocation;
import dev.unlearning.api.ShardedModel;
import dev.unlearning.api.worker.ExitCode;
import dev.unlearning.engine.TorchRuntime;
import dev.unlearning.engine.evaluation.Ensemble;
import dev.unlearning.engine.evaluation.TextEvaluator;
import dev.unlearning.serving.InferenceServer;
import dev.unlearning.serving.LoadedModel;
import dev.unlearning.serving.ServingLimits;
import dev.unlearning.store.CorruptArtifactException;
import dev.unlearning.store.ModelRepository;
import dev.unlearning.store.VersionManifest;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Quarkus;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.jboss.logging.Logger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Serves one model version over the Open Inference Protocol v2. The port answers liveness at once and
 * readiness only once every shard is loaded. Quarkus's own HTTP server (health, /q/metrics) runs beside it on
 * QUARKUS_HTTP_PORT, which the serving Deployment sets to 9090.
 */
@Command(name = WorkerInvocation.SERVE, description = "Serve a model version over the Open Inference Protocol v2.")
public class ServeCommand implements Callable<Integer> {

    private static final Logger LOG = Logger.getLogger(ServeCommand.class);

    @Option(names = WorkerInvocation.MODEL, required = true)
    Path model;

    @Option(names = WorkerInvocation.VERSION, description = "Version to serve (default: the latest)")
    Integer version;

    @Option(names = WorkerInvocation.PORT, defaultValue = "8080")
    int port;

    @Option(names = "--host", defaultValue = "0.0.0.0")
    String host;

    @Option(names = "--store")
    String store;

    @Option(names = "--max-concurrent", description = "Inferences running at once (default: the processors the JVM "
            + "sees, i.e. the container's CPU limit)")
    Integer maxConcurrent;

    @Option(names = "--max-queued", description = "Requests admitted beyond the running ones, receiving their body or "
            + "waiting; more get 429 (default: " + ServingLimits.QUEUED_PER_WORKER + " x --max-concurrent)")
    Integer maxQueued;

    @Option(names = "--max-batch", defaultValue = "" + ServingLimits.DEFAULT_MAX_BATCH,
            description = "Records per request; larger batches get 413 (default: ${DEFAULT-VALUE})")
    int maxBatch;

    @Option(names = "--max-body-bytes", description = "Body limit; larger bodies get 413 before they are read "
            + "(default: --max-batch x features per record x " + ServingLimits.BYTES_PER_NUMBER + " + "
            + ServingLimits.ENVELOPE_BYTES + ")")
    Long maxBodyBytes;

    @Option(names = "--request-timeout", defaultValue = "30", description = "Seconds from a request's head to its "
            + "answer; a body still arriving then gets 408, an unfinished inference 503 (default: ${DEFAULT-VALUE})")
    long requestTimeoutSeconds;

    @Option(names = "--idle-timeout", defaultValue = "30", description = "Seconds a connection may go without a "
            + "complete request head, silent or trickling, before it is closed (default: ${DEFAULT-VALUE})")
    long idleTimeoutSeconds;

    @Inject
    Vertx vertx;

    @Inject
    MeterRegistry registry;

    @Override
    public Integer call() {
        return RoleIo.run("serve", () -> {
            ShardedModel cr = RoleIo.readModel(model);
            ModelRepository repo = RoleIo.repository(cr, store);
            ServingLimits limits = limits();
            try (InferenceServer server = new InferenceServer(vertx, repo.model(), registry, limits,
                    RoleIo.environment.apply(WorkerInvocation.ENV_SERVING_TOKEN))) {
                int actual = server.start(host, port);
                LOG.infof("serving %s on port %d; loading its version", repo.model(), actual);
                // UNLEARNING_THREADS, when a pod sets it, still wins; otherwise the cores are split among the workers.
                TorchRuntime.engine(TorchRuntime.threadsOverride()
                        .orElse(limits.threadsPerInference(Runtime.getRuntime().availableProcessors())));
                // Checked against the store: a version older than the newest forgetting is never loaded.
                VersionManifest manifest = version != null ? repo.servable(version) : repo.latest().orElseThrow(() ->
                        new CorruptArtifactException("model " + repo.model() + " has no version"));
                server.load(manifest.layout().architecture().getType().languageModel()
                        ? LoadedModel.of(manifest, TextEvaluator.load(repo, manifest))
                        : LoadedModel.of(manifest, Ensemble.load(repo, manifest)));
                LOG.infof("version %d of %s loaded and ready", manifest.version(), repo.model());
                Quarkus.waitForExit();
            }
            return ExitCode.OK;
        });
    }

    private ServingLimits limits() {
        ServingLimits defaults = ServingLimits.defaults(Runtime.getRuntime().availableProcessors());
        int concurrent = maxConcurrent != null ? maxConcurrent : defaults.maxConcurrent();
        int queued = maxQueued != null ? maxQueued : ServingLimits.QUEUED_PER_WORKER * concurrent;
        // Out-of-range values throw IllegalArgumentException, which RoleIo reports as invalid input (exit 2).
        return new ServingLimits(concurrent, queued, maxBatch, maxBodyBytes, Duration.ofSeconds(requestTimeoutSeconds),
                Duration.ofSeconds(idleTimeoutSeconds));
    }
}
