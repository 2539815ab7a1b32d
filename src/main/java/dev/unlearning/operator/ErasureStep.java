package dev.unlearning.operator;

import dev.unlearning.operator.conventions.EventReason;
import dev.unlearning.api.ErasureLane;
import dev.unlearning.api.ErasureRecord;
import dev.unlearning.api.ErasureRun;
import dev.unlearning.api.ShardedModel;
import dev.unlearning.api.ShardedModelStatus;
import dev.unlearning.api.worker.ErasureResult;
import dev.unlearning.operator.certificates.CertificateIssuer;
import dev.unlearning.operator.jobs.JobFactory;
import dev.unlearning.operator.jobs.JobObserver;
import dev.unlearning.operator.planning.ErasurePolicy;
import dev.unlearning.operator.planning.ExclusiveWork;
import dev.unlearning.operator.planning.JobOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Erasure of a model's store: when {@link ErasurePolicy} says so, an erase Job deletes every version that still
 * holds a forgotten record (keeping the newest and the served one), keeps {@code spec.retention} clean
 * versions, sweeps unreferenced blobs and staged files, and certifies what went. Its outcome lands in the
 * model's status ({@code lastErasure}), from which requests derive their {@code Erased} condition.
 */
public class ErasureStep implements ExclusiveStep {

    private final JobFactory factory;
    private final Jobs jobs;
    private final JobObserver observer;
    private final EventRecorder events;
    private final OperatorMetrics metrics;
    private final CertificateIssuer certificates;
    private final Duration retryAfter;

    public ErasureStep(StepTools tools, Duration retryAfter) {
        this.factory = tools.factory();
        this.jobs = tools.jobs();
        this.observer = tools.observer();
        this.events = tools.events();
        this.metrics = tools.metrics();
        this.certificates = tools.certificates();
        this.retryAfter = retryAfter;
    }

    /**
     * When an erasure is due ({@link ErasurePolicy}): now, after a failed one's retry delay, or never (empty).
     *
     * @param servingTarget the version serving should run (approvals considered): erasure waits until it does
     */
    public Optional<Instant> due(ModelReconcile reconcile, int servingTarget) {
        ShardedModel model = reconcile.model();
        ShardedModelStatus status = reconcile.status();
        ErasureLane lane = status.erasureLane();
        Instant failedAt = lane.getFailure() == null || lane.getFailedAt() == null ? null
                : Instant.parse(lane.getFailedAt());
        return ErasurePolicy.due(status, model.getSpec().getServing().getReplicas(), servingTarget,
                model.getSpec().getRetention(), failedAt, retryAfter, reconcile.now());
    }

    @Override
    public ExclusiveWork.Lane lane() {
        return ExclusiveWork.Lane.ERASURE;
    }

    /** Follows the erase Job in flight, or starts one; called only while erasure holds the model. */
    @Override
    public Optional<Duration> advance(ModelReconcile reconcile) {
        ShardedModel model = reconcile.model();
        ShardedModelStatus status = reconcile.status();
        ErasureRun run = status.erasureLane().getRun();
        if (run != null) {
            observe(model, status, run, reconcile.now());
        } else {
            start(model, status, ErasurePolicy.served(status, model.getSpec().getServing().getReplicas())
                    .orElseThrow(), reconcile.now());
        }
        return Optional.empty();
    }

    private void start(ShardedModel model, ShardedModelStatus status, int served, Instant now) {
        ErasureRun run = new ErasureRun();
        run.setId("e" + (status.erasureLane().getStarted() + 1));
        run.setServedVersion(served);
        run.setStartedAt(now.toString());
        jobs.start(model, factory.erasing(model, run), run);
        status.erasureLane().setRun(run);
        status.erasureLane().setStarted(status.erasureLane().getStarted() + 1);
        events.normal(model, EventReason.ErasureStarted, "erasure " + run.getId() + " around served version " + served
                + " in Job " + run.getJobName());
    }

    private void observe(ShardedModel model, ShardedModelStatus status, ErasureRun run, Instant now) {
        JobOutcome<ErasureResult> outcome = observer.observe(
                jobs.recorded(model.getMetadata().getNamespace(), run), ErasureResult.class);
        if (outcome.phase() == JobOutcome.JobPhase.RUNNING) {
            return;
        }
        metrics.jobFinished(run.getJobName(), "erase", outcome.phase() == JobOutcome.JobPhase.SUCCEEDED,
                run.getStartedAt(), now);
        status.erasureLane().setRun(null);
        ErasureResult result = outcome.result();
        if (outcome.phase() != JobOutcome.JobPhase.SUCCEEDED || result == null) {
            String why = outcome.phase() == JobOutcome.JobPhase.MISSING ? "it disappeared"
                    : outcome.phase() == JobOutcome.JobPhase.SUCCEEDED ? "it reported no result (" + outcome.resultProblem()
                            + ")" : outcome.failure();
            status.erasureLane().setFailure("erasure Job " + run.getJobName() + " failed: " + why
                    + "; nothing a kept version needs was deleted, and it is retried");
            status.erasureLane().setFailedAt(now.toString());
            events.warning(model, EventReason.ErasureFailed, status.erasureLane().getFailure());
            return;
        }
        ErasureRecord record = new ErasureRecord();
        record.setServedVersion(result.servedVersion());
        record.setKeptVersions(result.keptVersions());
        record.setErasedVersions(result.erasedVersions());
        record.setErasedBlobs(result.erasedBlobs());
        record.setErasedStagingFiles(result.erasedStagingFiles());
        record.setErasedCopies(result.erasedCopies());
        String servedDigest = status.getPublished().getVersions().stream()
                .filter(v -> v.getVersion() == result.servedVersion()).map(v -> v.getDigest()).findFirst().orElse(null);
        record.setCertificate(certificates.erasure(model, run, result, servedDigest));
        record.setFinishedAt(now.toString());
        status.erasureLane().setLast(record);
        status.erasureLane().setFailure(null);
        status.erasureLane().setFailedAt(null);
        events.normal(model, EventReason.VersionsErased, "erased versions " + result.erasedVersions() + " and "
                + result.erasedBlobs() + " blob(s); kept " + result.keptVersions());
    }
}
