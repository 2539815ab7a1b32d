package dev.unlearning.operator.status;

import dev.unlearning.operator.conventions.Conditions;
import dev.unlearning.api.ErasureRecord;
import dev.unlearning.api.ExactFollowUp;
import dev.unlearning.api.Guarantee;
import dev.unlearning.api.ShardedModel;
import dev.unlearning.api.ShardedModelStatus;
import dev.unlearning.api.UnlearningMethod;
import dev.unlearning.api.UnlearningRequest;
import dev.unlearning.api.UnlearningRequestStatus;
import dev.unlearning.operator.conventions.ModelConditions;
import dev.unlearning.operator.conventions.RequestConditions;
import dev.unlearning.operator.planning.Approval;
import dev.unlearning.operator.planning.ErasurePolicy;
import java.util.Optional;

/**
 * What a request's conditions say once its run published a version: whether serving runs it (or waits for an
 * approval, or is stuck and why), then that the records are forgotten, exactly or approximately, whether an exact
 * retrain is still owed, and whether older versions that held them are erased ({@link ErasurePolicy} says when
 * none is owed). Part of {@link RequestStatusAggregator}'s derivation, kept apart to be read on its own.
 */
final class RequestRollout {

    private RequestRollout() {
    }

    static void rollout(RequestConditionWriter w, UnlearningRequest request, UnlearningRequestStatus status,
            ShardedModel model, UnlearningMethod madeBy) {
        Integer serving = model.getStatus().getServing().getVersion();
        int version = status.getResultingVersion();
        switch (Approval.rollout(request, version, model.getSpec().getServing().getReplicas(), serving)) {
            case AWAITING_APPROVAL -> w.set(RequestConditions.ROLLED_OUT, Conditions.FALSE, "AwaitingApproval",
                    "annotate the request " + Approval.ANNOTATION + "=true to roll out", null);
            case IN_PROGRESS -> {
                // A stuck rollout says why (the model's Serving condition has the pod's or Deployment's reason).
                Optional<String> stall = model.getStatus().condition(ModelConditions.SERVING)
                        .filter(c -> ModelConditions.ROLLOUT_STALLED.equals(c.getReason())).map(c -> c.getMessage());
                w.set(RequestConditions.ROLLED_OUT, Conditions.FALSE,
                        stall.isPresent() ? ModelConditions.ROLLOUT_STALLED : "RolloutInProgress",
                        stall.map(m -> "version " + version + " is not rolling out: " + m)
                                .orElse("serving is rolling out version " + version), null);
            }
            case ROLLED_OUT, SERVING_DISABLED -> {
                boolean disabled = model.getSpec().getServing().getReplicas() == 0;
                w.set(RequestConditions.ROLLED_OUT, Conditions.TRUE, disabled ? "ServingDisabled" : "RolledOut",
                        disabled ? "the model has no serving replicas" : "serving runs version " + serving, null);
                served(w, request, status, model, version, madeBy);
            }
        }
    }

    /**
     * The version that carries the request is served: its effect is forgotten. After an exact method that is
     * the whole story once erasure ran; after an approximate one the shards' checkpoints were still trained on
     * the records, so the request waits for the exact follow-up, unless it opted out of it.
     */
    private static void served(RequestConditionWriter w, UnlearningRequest request, UnlearningRequestStatus status,
            ShardedModel owner, int version, UnlearningMethod madeBy) {
        ShardedModelStatus model = owner.getStatus();
        boolean exact = madeBy == UnlearningMethod.EXACT;
        w.set(RequestConditions.FORGOTTEN, Conditions.TRUE, exact ? "ForgottenExactly" : "ForgottenApproximately",
                "version " + version + " is served and met the verification thresholds with " + madeBy,
                null);
        if (!exact && request.getSpec().getExactFollowUp()) {
            String due = model.unlearningLane().getExactPending().stream()
                    .filter(f -> f.getRequests().stream().anyMatch(m -> m.is(request)))
                    .map(ExactFollowUp::getDue).findFirst().orElse(null);
            status.setExactDue(due);
            w.set(RequestConditions.EXACT_PENDING, Conditions.TRUE, "ExactRetrainDue", "the shards that "
                    + madeBy + " altered still hold the records in their checkpoints; they are retrained "
                    + "exactly by " + (due == null ? "the next follow-up run" : due), null);
            return;
        }
        status.setExactDue(null);
        w.set(RequestConditions.EXACT_PENDING, Conditions.FALSE, exact ? "Exact" : "NotRequested",
                exact ? "version " + version + " was retrained exactly" : "the request opted out of the exact "
                        + "follow-up: only the records' effect is forgotten", null);
        erasure(w, status, model, owner.getSpec().getRetention(), version, exact ? Guarantee.EXACT : Guarantee.APPROXIMATE);
    }

    /**
     * Complete only once nothing older that held the records is kept: what {@code Complete} promises. The rule that
     * starts erasures ({@link ErasurePolicy}) also says when none is owed, so a request never waits for one that
     * will not come.
     */
    private static void erasure(RequestConditionWriter w, UnlearningRequestStatus status, ShardedModelStatus model,
            int retention, int version, Guarantee guarantee) {
        ErasureRecord last = model.erasureLane().getLast();
        switch (ErasurePolicy.covers(model, version, retention)) {
            case PENDING -> {
                boolean failed = model.erasureLane().getFailure() != null;
                w.set(RequestConditions.ERASED, Conditions.FALSE, failed ? "ErasureFailed" : "ErasurePending",
                        failed ? model.erasureLane().getFailure() : "older versions that hold the records are erased next",
                        null);
                return;
            }
            case ERASED -> {
                status.setErasure(last);
                w.set(RequestConditions.ERASED, Conditions.TRUE, "Erased", "erased versions "
                        + last.getErasedVersions() + " and " + last.getErasedBlobs() + " blob(s); certificate "
                        + (last.getCertificate() == null ? "none" : last.getCertificate().getDigest()), null);
            }
            case NOTHING_TO_ERASE -> w.set(RequestConditions.ERASED, Conditions.TRUE, "NothingToErase",
                    "no run of the model forgot a record and no version is past retention: no kept version holds "
                            + "the records", null);
        }
        status.setGuarantee(guarantee);
        w.set(RequestConditions.COMPLETE, Conditions.TRUE, guarantee == Guarantee.EXACT ? "Complete"
                : "CompleteApproximate", guarantee == Guarantee.EXACT ? "forgotten exactly, verified, certified and "
                        + "erased: version " + version + " is served and no kept version holds the records"
                        : "forgotten approximately as asked: version " + version + " is served and older versions are "
                                + "erased, but its checkpoints were trained on the records", null);
    }
}
