package dev.unlearning.operator.status;

import dev.unlearning.operator.conventions.Conditions;
import dev.unlearning.api.Guarantee;
import dev.unlearning.api.ModelProgress;
import dev.unlearning.api.ShardedModel;
import dev.unlearning.api.UnlearningRequest;
import dev.unlearning.api.UnlearningRequestStatus;
import dev.unlearning.operator.conventions.EventReason;
import dev.unlearning.operator.conventions.RequestConditions;
import dev.unlearning.operator.status.RequestStatusAggregator.Derived;
import dev.unlearning.operator.status.RequestStatusAggregator.Notice;
import dev.unlearning.store.Digests;
import io.fabric8.kubernetes.api.model.Condition;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The status of a request that names a dataset: one owned request per model trained on it does the work, and
 * this one reports each of them and is Complete only when every one is. Which models it covers is fixed when
 * it is first accepted; a model trained on the dataset later leaves the records out through the ledger.
 */
public final class DatasetRequestAggregator {

    public static final String PENDING = "Pending";
    public static final String IN_PROGRESS = "InProgress";
    public static final String FORGOTTEN = "Forgotten";
    public static final String COMPLETE = "Complete";
    public static final String FAILED = "Failed";

    private final Conditions conditions;

    public DatasetRequestAggregator(Clock clock) {
        this.conditions = new Conditions(clock);
    }

    /**
     * @param models the models in the namespace trained on the dataset now; used only on the first pass
     * @param children the requests this one made, one per model
     * @param ledgerRecorded whether the selector is in the dataset's ledger yet
     */
    public Derived derive(UnlearningRequest request, UnlearningRequestStatus status, List<ShardedModel> models,
            List<UnlearningRequest> children, boolean ledgerRecorded, Instant now) {
        RequestConditionWriter w = new RequestConditionWriter(conditions, status,
                request.getMetadata().getGeneration());
        w.set(RequestConditions.DEGRADED, Conditions.FALSE, "Healthy", "reconciled", null);
        String uri = request.getSpec().getDatasetRef().getUri();
        if (status.getModels() == null) {
            status.setModels(models.stream().map(m -> m.getMetadata().getName()).sorted().map(name -> {
                ModelProgress progress = new ModelProgress();
                progress.setModel(name);
                progress.setRequest(childName(request, name));
                progress.setPhase(PENDING);
                return progress;
            }).collect(Collectors.toCollection(ArrayList::new)));
        }
        List<String> names = status.getModels().stream().map(ModelProgress::getModel).toList();
        w.set(RequestConditions.ACCEPTED, Conditions.TRUE, "FannedOut", names.isEmpty()
                ? "no ShardedModel in this namespace trains on " + uri
                : names.size() + " ShardedModel(s) train on " + uri + ": " + String.join(", ", names),
                new Notice(EventReason.Accepted, false, "forgetting from " + names.size() + " model(s) on " + uri));
        Instant deadline = RequestStatusAggregator.deadline(request);
        if (deadline != null && now.isAfter(deadline)) {
            status.setDeadlineExceeded(true);
            w.set(RequestConditions.DEADLINE_EXCEEDED, Conditions.TRUE, "DeadlinePassed", "the deadline "
                    + request.getSpec().getDeadline() + " passed before the request completed",
                    new Notice(EventReason.DeadlineExceeded, true, "deadline " + request.getSpec().getDeadline()
                            + " passed"));
        }
        Map<String, UnlearningRequest> byName = children.stream()
                .collect(Collectors.toMap(c -> c.getMetadata().getName(), Function.identity(), (a, b) -> a));
        for (ModelProgress progress : status.getModels()) {
            follow(progress, Optional.ofNullable(byName.get(progress.getRequest())));
        }
        Optional<ModelProgress> failed = status.getModels().stream().filter(p -> FAILED.equals(p.getPhase()))
                .min(Comparator.comparing(ModelProgress::getModel));
        if (failed.isPresent()) {
            String message = "model " + failed.get().getModel() + ": " + failed.get().getMessage();
            w.set(RequestConditions.FAILED, Conditions.TRUE, "ModelFailed", message,
                    new Notice(EventReason.UnlearningJobFailed, true, message));
            return w.done();
        }
        boolean allForgotten = status.getModels().stream()
                .allMatch(p -> FORGOTTEN.equals(p.getPhase()) || COMPLETE.equals(p.getPhase()));
        w.set(RequestConditions.FORGOTTEN, allForgotten ? Conditions.TRUE : Conditions.FALSE,
                allForgotten ? "AllModelsForgot" : "InProgress", allForgotten
                        ? "every model on the dataset serves a version without the records' effect"
                        : "waiting for " + count(status, p -> !FORGOTTEN.equals(p.getPhase())
                                && !COMPLETE.equals(p.getPhase())) + " model(s)", null);
        boolean allComplete = status.getModels().stream().allMatch(p -> COMPLETE.equals(p.getPhase()));
        if (!allComplete || !ledgerRecorded) {
            return w.done();
        }
        boolean exact = status.getModels().stream().allMatch(p -> p.getGuarantee() != Guarantee.APPROXIMATE);
        status.setGuarantee(exact ? Guarantee.EXACT : Guarantee.APPROXIMATE);
        w.set(RequestConditions.COMPLETE, Conditions.TRUE, exact ? "Complete" : "CompleteApproximate",
                (names.isEmpty() ? "no model trained on " + uri + " held the records"
                        : "all " + names.size() + " model(s) on " + uri + " forgot " + (exact ? "exactly" : "as asked")
                                + " and erased older versions")
                        + "; the dataset's ledger keeps models trained on it later from using the records", null);
        return w.done();
    }

    /** The owned request for one model: the parent's name and the model's, or a digest where that is too long. */
    public static String childName(UnlearningRequest parent, String model) {
        String name = parent.getMetadata().getName() + "-" + model;
        if (name.length() <= 253) {
            return name;
        }
        String digest = Digests.sha256(name.getBytes(StandardCharsets.UTF_8));
        return parent.getMetadata().getName().substring(0, 200) + "-" + digest.substring(0, 12);
    }

    private static void follow(ModelProgress progress, Optional<UnlearningRequest> child) {
        if (child.isEmpty() || child.get().getStatus() == null) {
            progress.setPhase(PENDING);
            return;
        }
        UnlearningRequest request = child.get();
        progress.setGuarantee(request.getStatus().getGuarantee());
        progress.setResultingVersion(request.getStatus().getResultingVersion());
        if (RequestConditions.isTrue(request, RequestConditions.FAILED)) {
            progress.setPhase(FAILED);
            progress.setMessage(message(request, RequestConditions.FAILED));
        } else if (RequestConditions.isTrue(request, RequestConditions.COMPLETE)) {
            progress.setPhase(COMPLETE);
            progress.setMessage(null);
        } else if (RequestConditions.isTrue(request, RequestConditions.FORGOTTEN)) {
            progress.setPhase(FORGOTTEN);
            progress.setMessage(message(request, RequestConditions.EXACT_PENDING));
        } else {
            progress.setPhase(RequestConditions.isTrue(request, RequestConditions.ACCEPTED) ? IN_PROGRESS : PENDING);
            progress.setMessage(message(request, RequestConditions.ACCEPTED));
        }
    }

    private static String message(UnlearningRequest request, String type) {
        return request.getStatus().condition(type).map(Condition::getMessage).orElse(null);
    }

    private static long count(UnlearningRequestStatus status, Predicate<ModelProgress> which) {
        return status.getModels().stream().filter(which).count();
    }
}
