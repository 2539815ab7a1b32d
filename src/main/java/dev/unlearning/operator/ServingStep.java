package dev.unlearning.operator;

import dev.unlearning.operator.conventions.Labels;
import dev.unlearning.operator.conventions.ModelConditions;
import dev.unlearning.operator.conventions.EventReason;
import dev.unlearning.api.ServingSpec;
import dev.unlearning.api.ShardedModel;
import dev.unlearning.api.ShardedModelStatus;
import dev.unlearning.operator.dependent.ServingDeployment;
import dev.unlearning.operator.dependent.ServingService;
import dev.unlearning.operator.jobs.ServingPods;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.util.List;
import java.util.Optional;

/**
 * Decides which version the model serves (the approved one, or a pinned one unless pinning it would bring
 * back forgotten records), hands that to the serving dependents, and moves {@code servingVersion} only once
 * every replica runs it.
 */
public class ServingStep {

    private final ServingService service;
    private final ServingDeployment deployment;
    private final EventRecorder events;

    public ServingStep(ServingService service, ServingDeployment deployment, EventRecorder events) {
        this.service = service;
        this.deployment = deployment;
        this.events = events;
    }

    /**
     * What serving could not do: {@code refusal} when the requested version may not be served (a pinned
     * rollback), {@code stall} when a rollout is stuck (see {@link RolloutStall}).
     */
    public record Outcome(Optional<String> refusal, Optional<String> stall) {
        static final Outcome NONE = new Outcome(Optional.empty(), Optional.empty());
    }

    public Outcome step(ModelReconcile reconcile, int approvedVersion) {
        ShardedModel model = reconcile.model();
        ShardedModelStatus status = reconcile.status();
        Context<ShardedModel> context = reconcile.context();
        ServingSpec serving = model.getSpec().getServing();
        if (status.getPublished().getCurrentVersion() == null) {
            return Outcome.NONE;
        }
        int target = approvedVersion;
        Optional<String> refusal = Optional.empty();
        if (serving.getPinnedVersion() != null) {
            refusal = refuseRollback(status, serving.getPinnedVersion());
            if (refusal.isEmpty()) {
                target = serving.getPinnedVersion();
            } else {
                events.warning(model, EventReason.RollbackRefused, refusal.get());
            }
        }
        context.managedWorkflowAndDependentResourceContext().put(ServingDeployment.TARGET_VERSION, target);
        service.reconcile(model, context);
        Deployment applied = deployment.reconcile(model, context).getSingleResource()
                .or(() -> deployment.getSecondaryResource(model, context)).orElse(null);
        status.getServing().setEndpoint("http://" + model.getMetadata().getName() + "." + model.getMetadata().getNamespace()
                + ".svc:" + serving.getPort() + "/v2/models/" + model.getMetadata().getName());
        if (rolledOut(applied, target)) {
            if (!Integer.valueOf(target).equals(status.getServing().getVersion())) {
                events.normal(model, EventReason.RolledOut, "serving runs version " + target);
            }
            status.getServing().setVersion(target);
            return new Outcome(refusal, Optional.empty());
        }
        if (serving.getReplicas() == 0 || applied == null) {
            return new Outcome(refusal, Optional.empty());
        }
        List<Pod> pods = context.getClient().pods().inNamespace(model.getMetadata().getNamespace())
                .withLabels(ServingPods.labels(model)).list().getItems();
        Optional<String> stall = RolloutStall.of(applied, pods, target);
        // One event per new reason, not one per reconcile: compare with what the model already says.
        Optional<String> reported = Optional.ofNullable(model.getStatus()).flatMap(s -> s.condition(ModelConditions.SERVING))
                .filter(c -> ModelConditions.ROLLOUT_STALLED.equals(c.getReason())).map(c -> c.getMessage());
        if (stall.isPresent() && !stall.equals(reported)) {
            events.warning(model, EventReason.RolloutStalled, stall.get());
        }
        return new Outcome(refusal, stall);
    }

    /**
     * A version older than the newest one that forgot records lacks its tombstones (they only ever grow), so it
     * still holds what was forgotten since. The newest forgetting version is kept in status uncapped; the serve
     * role checks the same against the store, so a pod could not load such a version anyway.
     */
    static Optional<String> refuseRollback(ShardedModelStatus status, int pinned) {
        Integer forgotten = status.getPublished().getLastForgettingVersion();
        if (forgotten != null && pinned < forgotten) {
            return Optional.of("version " + pinned + " still holds records that version " + forgotten
                    + " forgot; serving it is refused");
        }
        if (status.getPublished().getCurrentVersion() != null && pinned > status.getPublished().getCurrentVersion()) {
            return Optional.of("version " + pinned + " does not exist yet");
        }
        return Optional.empty();
    }

    static boolean rolledOut(Deployment d, int version) {
        if (d == null || d.getStatus() == null || d.getStatus().getObservedGeneration() == null) {
            return false;
        }
        int replicas = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
        var s = d.getStatus();
        return s.getObservedGeneration() >= d.getMetadata().getGeneration()
                && String.valueOf(version).equals(d.getSpec().getTemplate().getMetadata().getAnnotations()
                        .get(Labels.VERSION))
                && value(s.getUpdatedReplicas()) == replicas && value(s.getAvailableReplicas()) == replicas
                && value(s.getReplicas()) == replicas;
    }

    private static int value(Integer i) {
        return i == null ? 0 : i;
    }
}
