package dev.unlearning.operator;

import dev.unlearning.operator.conventions.Labels;
import dev.unlearning.operator.conventions.RequestConditions;
import dev.unlearning.api.ForgetSelector;
import dev.unlearning.api.ShardedModel;
import dev.unlearning.api.UnlearningRequest;
import dev.unlearning.api.UnlearningRequestStatus;
import dev.unlearning.operator.certificates.IdDigestKeys;
import dev.unlearning.operator.status.DatasetRequestAggregator;
import dev.unlearning.operator.planning.ShardPlanner;
import dev.unlearning.operator.status.RequestStatusAggregator;
import dev.unlearning.operator.status.RequestStatusAggregator.Derived;
import dev.unlearning.operator.status.RequestStatusAggregator.Notice;
import dev.unlearning.operator.status.RequestStatusAggregator.Planning;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.processing.retry.GradualRetry;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import java.time.Clock;
import java.time.Duration;
import dev.unlearning.operator.conventions.EventReason;
import java.time.Instant;
import java.util.Comparator;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The only writer of an UnlearningRequest's status. It plans the request (affected shards: for record ids from
 * placement alone; subject, label and list requests may touch every shard), then follows its model through an
 * informer — the model's status records the run that carries the request and how it ended — and derives its
 * conditions from that ({@link RequestStatusAggregator}), including rollout and the deadline.
 */
@ControllerConfiguration(name = "unlearningrequest")
@GradualRetry(maxAttempts = ReconcileRetry.MAX_ATTEMPTS, initialInterval = ReconcileRetry.INITIAL_INTERVAL_MS,
        intervalMultiplier = ReconcileRetry.MULTIPLIER, maxInterval = ReconcileRetry.MAX_INTERVAL_MS)
public class UnlearningRequestReconciler implements Reconciler<UnlearningRequest>, Cleaner<UnlearningRequest> {

    static final String BY_MODEL = "byModel";
    private static final KubernetesSerialization JSON = new KubernetesSerialization();

    private final EventRecorder events;
    private final OperatorMetrics metrics;
    private final RequestStatusAggregator aggregator;
    private final DatasetRequestAggregator datasetAggregator;
    private final DatasetLedgers ledgers;
    private final IdDigestKeys idKeys;
    private final Clock clock;
    private final RequestExpiry expiry;

    public UnlearningRequestReconciler(OperatorWiring wiring) {
        this.events = wiring.events();
        this.metrics = wiring.metrics();
        this.aggregator = new RequestStatusAggregator(wiring.clock());
        this.datasetAggregator = new DatasetRequestAggregator(wiring.clock());
        this.ledgers = new DatasetLedgers(wiring.client(), wiring.clock());
        this.idKeys = wiring.idKeys();
        this.clock = wiring.clock();
        this.expiry = new RequestExpiry(wiring.events(), wiring.clock());
    }

    /**
     * A change of a model wakes the requests that name it and have not ended; a change of a request made for one
     * model wakes the dataset request that made it.
     */
    @Override
    public List<EventSource<?, UnlearningRequest>> prepareEventSources(EventSourceContext<UnlearningRequest> context) {
        context.getPrimaryCache().addIndexer(BY_MODEL, r -> r.getSpec().getModelRef() == null ? List.of()
                : List.of(key(r.getMetadata().getNamespace(), r.getSpec().getModelRef().getName())));
        var models = new InformerEventSource<>(InformerEventSourceConfiguration
                .from(ShardedModel.class, UnlearningRequest.class)
                .withSecondaryToPrimaryMapper(m -> context.getPrimaryCache()
                        .byIndex(BY_MODEL, key(m.getMetadata().getNamespace(), m.getMetadata().getName())).stream()
                        .filter(r -> !RequestConditions.ended(r)).map(ResourceID::fromResource)
                        .collect(Collectors.toSet()))
                .withPrimaryToSecondaryMapper((UnlearningRequest r) -> r.getSpec().getModelRef() == null ? Set.of()
                        : Set.of(new ResourceID(r.getSpec().getModelRef().getName(), r.getMetadata().getNamespace())))
                .build(), context);
        var children = new InformerEventSource<>(InformerEventSourceConfiguration
                .from(UnlearningRequest.class, UnlearningRequest.class)
                .withName("datasetRequestChildren")
                .withLabelSelector(Labels.DATASET_REQUEST)
                .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(UnlearningRequest.class, false))
                .build(), context);
        return List.of(models, children);
    }

    /**
     * A request the model still owes an exact retrain stays until that retrain lands: the approximate version still
     * holds its records, and deleting the request must not drop the promise (the finalizer is external cleanup in
     * the model's store). Removing the finalizer by hand drops it.
     */
    @Override
    public DeleteControl cleanup(UnlearningRequest request, Context<UnlearningRequest> context) {
        boolean owed = context.getSecondaryResource(ShardedModel.class)
                .filter(m -> m.getStatus() != null && m.getMetadata().getDeletionTimestamp() == null)
                .map(m -> m.getStatus().unlearningLane().getExactPending().stream()
                        .anyMatch(f -> f.getRequests().stream().anyMatch(member -> member.is(request))))
                .orElse(false);
        if (!owed) {
            return DeleteControl.defaultDelete();
        }
        events.normal(request, EventReason.ExactFollowUpOwed, "deletion waits for the exact follow-up: the model's "
                + "approximate version still holds this request's records, and the retrain that removes them is "
                + "owed whether or not the request stays");
        return DeleteControl.noFinalizerRemoval().rescheduleAfter(Duration.ofSeconds(30));
    }

    @Override
    public UpdateControl<UnlearningRequest> reconcile(UnlearningRequest request, Context<UnlearningRequest> context) {
        if (RequestConditions.ended(request)) {
            return expiry.expire(request, context.getClient());
        }
        UnlearningRequestStatus status = request.getStatus() == null ? new UnlearningRequestStatus()
                : JSON.clone(request.getStatus());
        Instant now = Instant.now(clock);
        if (request.getSpec().getDatasetRef() != null) {
            return reconcileDataset(request, status, context, now);
        }
        Optional<ShardedModel> model = context.getSecondaryResource(ShardedModel.class);
        if (model.filter(ShardedModel::storedByAnOlderOperator).isPresent()) {
            // Its groups are empty until the model's own first reconcile moves the flat fields into them (and
            // that status write wakes this request): deriving from them now would report progress lost.
            return UpdateControl.noUpdate();
        }
        Derived derived = aggregator.derive(request, status, model, planning(request, model, context), now);
        // A dry run forgets nothing, so the dataset's ledger (what later trainings leave out) never hears of it.
        if (model.isPresent() && !DatasetFanOut.isChild(request) && !request.getSpec().dryRun()
                && RequestConditions.isTrue(request(request, derived.status()), RequestConditions.ACCEPTED)) {
            String digest = model.get().getStatus() == null ? null : model.get().getStatus().getPublished().getDataDigest();
            if (DatasetLedgers.needsRecording(status.getLedger(), digest)) {
                status.setLedger(ledgers.record(request, selector(request, context), idKeyId(request),
                        model.get().getSpec().getDataset().getUri(), digest));
            }
        }
        return write(request, context, derived, model, now);
    }

    /**
     * A request that names a dataset: recorded in the dataset's ledger first, then carried out by one owned
     * request per model trained on the dataset, whose progress it reports.
     */
    private UpdateControl<UnlearningRequest> reconcileDataset(UnlearningRequest request, UnlearningRequestStatus status,
            Context<UnlearningRequest> context, Instant now) {
        String uri = request.getSpec().getDatasetRef().getUri();
        @SuppressWarnings("unchecked")
        var modelSource = (InformerEventSource<ShardedModel, UnlearningRequest>) context.eventSourceRetriever()
                .getEventSourceFor(ShardedModel.class);
        List<ShardedModel> models = modelSource.list(request.getMetadata().getNamespace(),
                m -> DatasetLedgers.sameDataset(m, uri)).sorted(Comparator.comparing(m -> m.getMetadata().getName()))
                .toList();
        if (models.stream().anyMatch(ShardedModel::storedByAnOlderOperator)) {
            return UpdateControl.noUpdate();
        }
        String digest = models.stream().map(m -> m.getStatus() == null ? null : m.getStatus().getPublished().getDataDigest())
                .filter(Objects::nonNull).findFirst().orElse(null);
        if (DatasetLedgers.needsRecording(status.getLedger(), digest)) {
            status.setLedger(ledgers.record(request, selector(request, context), idKeyId(request), uri, digest));
        }
        List<UnlearningRequest> children = List.copyOf(context.getSecondaryResources(UnlearningRequest.class));
        Derived derived = datasetAggregator.derive(request, status, models, children, status.getLedger() != null, now);
        new DatasetFanOut(context.getClient()).ensure(request, derived.status().getModels(), children);
        return write(request, context, derived, Optional.empty(), now);
    }

    private UpdateControl<UnlearningRequest> write(UnlearningRequest request, Context<UnlearningRequest> context,
            Derived derived, Optional<ShardedModel> model, Instant now) {
        for (Notice notice : derived.notices()) {
            if (notice.warning()) {
                events.warning(request, notice.reason(), notice.message());
            } else {
                events.normal(request, notice.reason(), notice.message());
            }
        }
        UnlearningRequest current = request(request, derived.status());
        if (RequestConditions.isTrue(current, RequestConditions.COMPLETE)) {
            metrics.request("completed", request.getMetadata().getUid(), 1);
        }
        if (RequestConditions.ended(current)) {
            String created = request.getMetadata().getCreationTimestamp();
            String outcome = RequestConditions.isTrue(current, RequestConditions.FAILED) ? "failed"
                    : request.getSpec().dryRun() ? "reported" : "completed";
            metrics.requestEnded(request.getMetadata().getUid(), outcome, created == null ? null : Instant.parse(created),
                    now);
        } else {
            metrics.requestOpen(request.getMetadata().getUid(), request.getMetadata().getNamespace(),
                    request.getMetadata().getName(), derived.status().getPhase(), RequestStatusAggregator.deadline(request));
        }
        metrics.retainOpenRequests(context.getPrimaryCache().list().map(r -> r.getMetadata().getUid())
                .collect(java.util.stream.Collectors.toSet()));
        if (!derived.status().equals(request.getStatus())) {
            StatusWrites.put(request, context, derived.status(), UnlearningRequest::setStatus);
        }
        UpdateControl<UnlearningRequest> control = UpdateControl.noUpdate();
        Integer ttl = request.getSpec().getTtlSecondsAfterFinished();
        if (ttl != null && RequestConditions.ended(request(request, derived.status()))) {
            // Our own status write wakes nobody: come back when the TTL is due.
            return control.rescheduleAfter(Duration.ofSeconds(ttl).plusMillis(200));
        }
        return wake(request, model, derived.status(), now).map(control::rescheduleAfter).orElse(control);
    }

    @Override
    public ErrorStatusUpdateControl<UnlearningRequest> updateErrorStatus(UnlearningRequest request,
            Context<UnlearningRequest> context, Exception e) {
        UnlearningRequestStatus status = request.getStatus() == null ? new UnlearningRequestStatus()
                : JSON.clone(request.getStatus());
        if (StatusWrites.conflict(e)) {
            return ErrorStatusUpdateControl.noStatusUpdate();
        }
        aggregator.reconcileError(request, status, e);
        return ErrorStatusUpdateControl.patchStatus(request(request, status));
    }

    /**
     * What the ledger keeps of a request: its selector with record ids (a ConfigMap's list inlined: it may be
     * deleted) and subjects as keyed digests, so the ledger, which outlives the request, names nobody.
     */
    private ForgetSelector selector(UnlearningRequest request, Context<UnlearningRequest> context) {
        return PrivateSelectors.of(context.getClient(), request, idKeys.ensure(request.getMetadata().getNamespace()));
    }

    private String idKeyId(UnlearningRequest request) {
        return idKeys.ensure(request.getMetadata().getNamespace()).id();
    }

    /** Plans once: a request's shards never change after it was planned. */
    private Planning planning(UnlearningRequest request, Optional<ShardedModel> model,
            Context<UnlearningRequest> context) {
        if (model.isEmpty() || RequestConditions.isTrue(request, RequestConditions.PLANNED)) {
            return null;
        }
        try {
            return Planning.of(ShardPlanner.affectedShards(model.get(), RecordLists.recordIdsOf(context.getClient(), request),
                    request.getSpec().getForget().getSubjects(), () -> idKeys.ensure(request.getMetadata().getNamespace())));
        } catch (IllegalArgumentException e) {
            return Planning.failed(e.getMessage());
        }
    }

    /**
     * The model informer wakes the request when its model appears or changes; nothing watches the requester's
     * ConfigMaps or the clock, so a missing id list and the deadline are looked at again when due.
     */
    private Optional<Duration> wake(UnlearningRequest request, Optional<ShardedModel> model,
            UnlearningRequestStatus status, Instant now) {
        if (model.isPresent() && !RequestConditions.isTrue(request(request, status), RequestConditions.ACCEPTED)) {
            return Optional.of(Duration.ofSeconds(30));
        }
        Instant deadline = RequestStatusAggregator.deadline(request);
        return deadline == null || now.isAfter(deadline) ? Optional.empty()
                : Optional.of(Duration.between(now, deadline).plusSeconds(1));
    }

    private static UnlearningRequest request(UnlearningRequest request, UnlearningRequestStatus status) {
        UnlearningRequest patch = new UnlearningRequest();
        patch.setMetadata(new ObjectMetaBuilder().withName(request.getMetadata().getName())
                .withNamespace(request.getMetadata().getNamespace()).build());
        // The spec says whether the request is a dry run, which decides whether it ended.
        patch.setSpec(request.getSpec());
        patch.setStatus(status);
        return patch;
    }

    private static String key(String namespace, String model) {
        return namespace + "/" + model;
    }
}
