package dev.unlearning.operator;

import dev.unlearning.operator.config.OperatorSettings;
import dev.unlearning.operator.conventions.ModelConditions;
import dev.unlearning.operator.conventions.EventReason;
import dev.unlearning.api.RecordedJob;
import dev.unlearning.api.RunMember;
import dev.unlearning.api.ShardedModel;
import dev.unlearning.api.ShardedModelStatus;
import dev.unlearning.api.UnlearningRequest;
import dev.unlearning.operator.certificates.CertificateIssuer;
import dev.unlearning.operator.certificates.TrustedKeysPublisher;
import dev.unlearning.operator.certificates.IdDigestKeys;
import dev.unlearning.operator.dependent.ModelSpecConfigMap;
import dev.unlearning.operator.dependent.ServingDeployment;
import dev.unlearning.operator.dependent.ServingService;
import dev.unlearning.operator.jobs.JobFactory;
import dev.unlearning.operator.jobs.JobObserver;
import dev.unlearning.operator.jobs.QueueAdmission;
import dev.unlearning.operator.jobs.ServingPods;
import dev.unlearning.operator.planning.Approval;
import dev.unlearning.operator.planning.ExclusiveWork;
import dev.unlearning.operator.status.ModelStatusAggregator;
import dev.unlearning.operator.status.WorkProgress;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.processing.retry.GradualRetry;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Thin controller for ShardedModel: observe (its requests, Jobs and serving objects through informers), ask
 * {@link ExclusiveWork} which of training, unlearning and erasure holds the model, let that step act (detection
 * and serving run beside it), aggregate conditions, and write the model's
 * status — the only status it writes. Every step keeps its progress in that status, so an operator restart
 * resumes where it stopped.
 */
@ControllerConfiguration(name = "shardedmodel")
@GradualRetry(maxAttempts = ReconcileRetry.MAX_ATTEMPTS, initialInterval = ReconcileRetry.INITIAL_INTERVAL_MS,
        intervalMultiplier = ReconcileRetry.MULTIPLIER, maxInterval = ReconcileRetry.MAX_INTERVAL_MS)
public class ShardedModelReconciler implements Reconciler<ShardedModel>, Cleaner<ShardedModel> {

    private static final KubernetesSerialization JSON = new KubernetesSerialization();
    static final Duration AFTER_OWN_CHANGE = Duration.ofSeconds(1);
    static final Duration STALLED_RECHECK = Duration.ofSeconds(30);

    private final Jobs jobs;
    private final OperatorMetrics metrics;
    private final QueueAdmission admission;
    private final ModelSpecConfigMap specConfigMap;
    private final ServingService servingService;
    private final ServingDeployment servingDeployment;
    private final UnlearningStep unlearning;
    private final DetectionStep detection;
    private final ServingStep serving;
    private final ErasureStep erasure;
    /** The steps of the model's exclusive work; {@link ExclusiveWork} picks which one runs. */
    private final List<ExclusiveStep> lanes;
    private final ModelStatusAggregator aggregator;
    private final StorePurge purge;
    private final OperatorSettings settings;
    private final EventRecorder events;
    private final IdDigestKeys idKeys;
    private final TrustedKeysPublisher trustedKeys;
    private final Clock clock;

    /** Builds the steps and dependents of one operator from its wiring (the SDK injects the wiring). */
    public ShardedModelReconciler(OperatorWiring wiring) {
        this.jobs = new Jobs(wiring.client(), wiring.events());
        this.trustedKeys = wiring.trustedKeys();
        this.metrics = wiring.metrics();
        this.admission = new QueueAdmission(wiring.client());
        StepTools tools = new StepTools(new JobFactory(wiring.settings()), jobs, new JobObserver(wiring.client()),
                wiring.events(), wiring.metrics(), wiring.clock(), new CertificateIssuer(wiring.client(),
                        wiring.certificateKeys(), wiring.trustedKeys(), wiring.settings().operatorNamespace(),
                        wiring.clock()));
        this.specConfigMap = new ModelSpecConfigMap();
        this.servingService = new ServingService();
        this.servingDeployment = new ServingDeployment(new ServingPods(wiring.settings()));
        this.unlearning = new UnlearningStep(wiring.client(), tools, wiring.idKeys(),
                wiring.settings().erasureRetry());
        this.detection = new DetectionStep(wiring.client(), tools, wiring.idKeys());
        this.serving = new ServingStep(servingService, servingDeployment, wiring.events());
        this.erasure = new ErasureStep(tools, wiring.settings().erasureRetry());
        this.lanes = List.of(new TrainingStep(tools, new DatasetLedgers(wiring.client(), wiring.clock())), unlearning,
                erasure);
        this.aggregator = new ModelStatusAggregator(wiring.clock());
        this.purge = new StorePurge(tools, wiring.settings());
        this.settings = wiring.settings();
        this.events = wiring.events();
        this.idKeys = wiring.idKeys();
        this.clock = wiring.clock();
    }

    @Override
    public List<EventSource<?, ShardedModel>> prepareEventSources(EventSourceContext<ShardedModel> context) {
        var requests = new InformerEventSource<>(InformerEventSourceConfiguration
                .from(UnlearningRequest.class, ShardedModel.class)
                .withSecondaryToPrimaryMapper(r -> r.getSpec().getModelRef() == null ? Set.of()
                        : Set.of(new ResourceID(r.getSpec().getModelRef().getName(), r.getMetadata().getNamespace())))
                .build(), context);
        List<EventSource<?, ShardedModel>> sources = new ArrayList<>(EventSourceUtils.dependentEventSources(context,
                specConfigMap, servingService, servingDeployment));
        sources.add(jobs.eventSource(context));
        sources.add(requests);
        return sources;
    }

    @Override
    public UpdateControl<ShardedModel> reconcile(ShardedModel model, Context<ShardedModel> context) {
        ShardedModelStatus status = workingStatus(model);
        List<UnlearningRequest> requests = context.getSecondaryResources(UnlearningRequest.class).stream()
                .filter(r -> r.getSpec().getModelRef() != null
                        && model.getMetadata().getName().equals(r.getSpec().getModelRef().getName()))
                .toList();

        Optional<String> refused = RuntimePolicy.violation(model, settings);
        if (refused.isPresent()) {
            // Checked before anything is made: no Job, spec ConfigMap or Deployment with a refused image or account.
            aggregator.refused(model, status, "RuntimeNotAllowed", refused.get());
            if (!status.equals(model.getStatus())) {
                events.warning(model, EventReason.RuntimeNotAllowed, refused.get());
                StatusWrites.put(model, context, status, ShardedModel::setStatus);
            }
            return UpdateControl.noUpdate();
        }
        specConfigMap.reconcile(model, context);
        // Before any pod that mounts it could need it to start.
        idKeys.ensure(model.getMetadata().getNamespace());
        // Auditors read the keys from there: an edit by anyone else is undone within a minute.
        trustedKeys.publishIfDue();
        VersionPublication.followStore(status, model.getSpec().getStorage().getUri(), Instant.now(clock))
                .ifPresent(left -> events.warning(model, EventReason.StoreAbandoned, "spec.storage.uri no longer "
                        + "names " + left.getUri() + ": versions " + left.getVersions() + " of this model stay there, "
                        + "with whatever they were trained on, and the operator neither serves nor erases them any "
                        + "more. Purge that store (unlearning-operator purge --model <file> --store " + left.getUri()
                        + ") or move its versions and tombstones to the new one"));
        unlearning.tidy(status, requests);
        ModelReconcile reconcile = new ModelReconcile(model, status, requests, context, Instant.now(clock));
        Optional<Instant> erasureDue = erasure.due(reconcile, servingTarget(status, requests));
        ExclusiveWork.Lane lane = ExclusiveWork.now(ExclusiveWork.Facts.of(status, TrainingStep.fingerprint(model),
                erasureDue.filter(due -> !due.isAfter(reconcile.now())).isPresent()));
        Optional<Duration> wake = earliest(erasureDue.filter(due -> due.isAfter(reconcile.now()))
                .map(due -> Duration.between(reconcile.now(), due).plusMillis(200)),
                lanes.stream().filter(step -> step.lane() == lane).findFirst()
                        .flatMap(step -> step.advance(reconcile)));
        // Dry runs read only the data: they run beside training and unlearning, and never hold them up.
        detection.step(reconcile);
        int servingTarget = servingTarget(status, requests);
        ServingStep.Outcome served = serving.step(reconcile, servingTarget);
        aggregator.aggregate(model, status, TrainingStep.running(status), served.refusal(), served.stall(), servingTarget);
        if (served.stall().isPresent()) {
            // Pods are not watched: look again for the stall clearing (a node freed, an image pushed).
            wake = earliest(wake, Optional.of(STALLED_RECHECK));
        }
        Function<RecordedJob, Job> job = entry -> jobs.recorded(model.getMetadata().getNamespace(), entry);
        Optional<String> waiting = admission.waiting(job.apply(status.getLanes().currentJob()));
        aggregator.queued(model, status, waiting);
        status.setProgress(waiting.isPresent() ? "queued for quota" : WorkProgress.of(status, job));
        metrics.model(model.getMetadata().getNamespace(), model.getMetadata().getName(), status.getServing().getVersion(),
                status.condition(ModelConditions.DEGRADED).map(c -> "True".equals(c.getStatus())).orElse(false));

        if (!status.equals(model.getStatus())) {
            StatusWrites.put(model, context, status, ShardedModel::setStatus);
            // A step may have made another possible (a publish makes erasure due), and the SDK does not wake a
            // reconciler for its own status writes: look again soon rather than wait for an unrelated event.
            wake = earliest(wake, Optional.of(AFTER_OWN_CHANGE));
        }
        UpdateControl<ShardedModel> control = UpdateControl.noUpdate();
        return wake.map(control::rescheduleAfter).orElse(control);
    }

    /** The store's deletion policy decides whether the model may go yet (finalizer for external cleanup). */
    @Override
    public DeleteControl cleanup(ShardedModel model, Context<ShardedModel> context) {
        ShardedModelStatus status = workingStatus(model);
        StorePurge.Decision decision = purge.step(model, status);
        if (decision == StorePurge.Decision.RELEASE) {
            metrics.modelDeleted(model.getMetadata().getNamespace(), model.getMetadata().getName());
            return DeleteControl.defaultDelete();
        }
        if (!status.equals(model.getStatus())) {
            StatusWrites.put(model, context, status, ShardedModel::setStatus);
        }
        return DeleteControl.noFinalizerRemoval().rescheduleAfter(StorePurge.recheck());
    }

    /** The version serving should run, approvals considered; 0 before the first version. */
    private static int servingTarget(ShardedModelStatus status, List<UnlearningRequest> requests) {
        Integer current = status.getPublished().getCurrentVersion();
        return current == null ? 0
                : Approval.servingTarget(current, status.unlearningLane().getRuns(), byMember(requests));
    }

    /**
     * The copy of the model's status this reconcile writes; a status an older operator stored in the flat shape
     * is moved into its groups here, once, and written back with the rest of the reconcile's changes.
     */
    private ShardedModelStatus workingStatus(ShardedModel model) {
        if (model.getStatus() == null) {
            return new ShardedModelStatus();
        }
        ShardedModelStatus status = JSON.clone(model.getStatus());
        if (status.migrateFlatFields()) {
            events.normal(model, EventReason.StatusMigrated,
                    "status moved from the flat fields of an older operator into its groups (published, lanes, serving)");
        }
        return status;
    }

    private static Optional<Duration> earliest(Optional<Duration> a, Optional<Duration> b) {
        return a.isEmpty() ? b : b.isEmpty() ? a : Optional.of(a.get().compareTo(b.get()) <= 0 ? a.get() : b.get());
    }

    /** An API error (a refused Job, a failed apply) shows on the model as Degraded instead of only in logs. */
    @Override
    public ErrorStatusUpdateControl<ShardedModel> updateErrorStatus(ShardedModel model, Context<ShardedModel> context,
            Exception e) {
        ShardedModelStatus status = workingStatus(model);
        if (StatusWrites.conflict(e)) {
            return ErrorStatusUpdateControl.noStatusUpdate();
        }
        aggregator.reconcileError(model, status, e);
        return ErrorStatusUpdateControl.patchStatus(statusPatch(model, status));
    }

    private static Function<RunMember, Optional<UnlearningRequest>> byMember(
            List<UnlearningRequest> requests) {
        return member -> requests.stream().filter(member::is).findFirst();
    }

    private static ShardedModel statusPatch(ShardedModel model, ShardedModelStatus status) {
        ShardedModel patch = new ShardedModel();
        patch.setMetadata(new ObjectMetaBuilder().withName(model.getMetadata().getName())
                .withNamespace(model.getMetadata().getNamespace()).build());
        patch.setStatus(status);
        return patch;
    }
}
