package dev.unlearning.operator;

import dev.unlearning.operator.conventions.ModelConditions;
import dev.unlearning.operator.conventions.EventReason;
import dev.unlearning.api.DeletionPolicy;
import dev.unlearning.api.JobReference;
import dev.unlearning.api.ShardedModel;
import dev.unlearning.operator.config.OperatorSettings;
import dev.unlearning.operator.jobs.JobFactory;
import dev.unlearning.api.ShardedModelStatus;
import dev.unlearning.api.worker.PurgeResult;
import dev.unlearning.operator.jobs.JobObserver;
import dev.unlearning.operator.planning.JobOutcome;
import dev.unlearning.operator.conventions.Conditions;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * What deleting a ShardedModel does to its store. Retain: nothing. Delete: a purge Job deletes every version,
 * blob and staged file (certificates stay), and the model goes only once it succeeded. A purge that fails says
 * why in the model's Degraded condition and keeps the model; setting {@code deletionPolicy: Retain} lets the
 * deletion finish without it. In a namespace being deleted no Job can start any more: the model is released
 * at once (its store is kept) so the namespace deletion is never blocked.
 */
public class StorePurge {

    /** The next step of a deletion. */
    public enum Decision {
        RELEASE, WAIT
    }

    private static final Logger LOG = Logger.getLogger(StorePurge.class);

    private final JobFactory factory;
    private final Jobs jobs;
    private final JobObserver observer;
    private final EventRecorder events;
    private final Conditions conditions;
    private final OperatorSettings settings;

    public StorePurge(StepTools tools, OperatorSettings settings) {
        this.settings = settings;
        this.factory = tools.factory();
        this.jobs = tools.jobs();
        this.observer = tools.observer();
        this.events = tools.events();
        this.conditions = new Conditions(tools.clock());
    }

    /** Advances the deletion; records a failure in {@code status} (which the caller writes when it changed). */
    public Decision step(ShardedModel model, ShardedModelStatus status) {
        if (model.getSpec().getStorage().getDeletionPolicy() != DeletionPolicy.DELETE) {
            return Decision.RELEASE;
        }
        String namespace = model.getMetadata().getNamespace();
        Job job = jobs.recorded(namespace, status.erasureLane().getPurge());
        Optional<String> refused = RuntimePolicy.violation(model, settings);
        if (job == null && refused.isPresent()) {
            // The purge pod runs the model's runtime like every other: the allow-lists hold here too.
            failed(model, status, "the purge Job would run what the installation does not allow: " + refused.get());
            return Decision.WAIT;
        }
        if (job == null) {
            try {
                JobReference purge = new JobReference();
                jobs.start(model, factory.purging(model), purge);
                status.erasureLane().setPurge(purge);
                events.normal(model, EventReason.StorePurgeStarted, "deletionPolicy Delete: purging the store");
                return Decision.WAIT;
            } catch (KubernetesClientException e) {
                if (e.getCode() == 403 && String.valueOf(e.getMessage()).contains("being terminated")) {
                    LOG.warnf("namespace %s is being deleted: model %s is released and its store %s kept", namespace,
                            model.getMetadata().getName(), model.getSpec().getStorage().getUri());
                    return Decision.RELEASE;
                }
                failed(model, status, "the purge Job could not be created: " + e.getMessage());
                return Decision.WAIT;
            }
        }
        JobOutcome<PurgeResult> outcome = observer.observe(job, PurgeResult.class);
        switch (outcome.phase()) {
            case SUCCEEDED -> {
                events.normal(model, EventReason.StorePurged, outcome.result() == null ? "store purged"
                        : "deleted " + outcome.result().deletedKeys() + " key(s); kept "
                                + outcome.result().keptCertificates() + " certificate(s)");
                return Decision.RELEASE;
            }
            case FAILED, MISSING -> {
                failed(model, status, "Job " + job.getMetadata().getName() + " failed: " + outcome.failure());
                return Decision.WAIT;
            }
            default -> {
                return Decision.WAIT;
            }
        }
    }

    private void failed(ShardedModel model, ShardedModelStatus status, String why) {
        String message = "deletionPolicy Delete: " + why + ". The model stays until its store is purged: fix the "
                + "store and delete the purge Job to try again, or set spec.storage.deletionPolicy: Retain to "
                + "delete the model and keep the store";
        long generation = Optional.ofNullable(model.getMetadata().getGeneration()).orElse(0L);
        conditions.set(status.getConditions(), ModelConditions.DEGRADED, Conditions.TRUE, "PurgeFailed", message,
                generation);
        events.warning(model, EventReason.StorePurgeFailed, message);
    }

    /** How soon to look again while a deletion waits (the Job informer usually wakes the reconciler first). */
    public static Duration recheck() {
        return Duration.ofSeconds(30);
    }
}
