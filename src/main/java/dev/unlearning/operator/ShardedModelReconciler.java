package dev.unlearning.operator;

import dev.unlearning.api.ShardedModel;
import dev.unlearning.api.ShardedModelStatus;
import dev.unlearning.operator.status.Conditions;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Clock;

/**
 * Observes ShardedModels and reports that it has seen them. Training Jobs, versions and rollouts are the
 * Operator issue's work; until then the model honestly says it is not ready and why.
 */
@ControllerConfiguration(name = "shardedmodel")
public class ShardedModelReconciler implements Reconciler<ShardedModel> {

    static final String READY = "Ready";
    static final String REASON_AWAITING_TRAINING = "AwaitingTraining";

    private final Conditions conditions = new Conditions(Clock.systemUTC());

    @Override
    public UpdateControl<ShardedModel> reconcile(ShardedModel model, Context<ShardedModel> context) {
        ShardedModelStatus status = model.getStatus() != null ? model.getStatus() : new ShardedModelStatus();
        long generation = model.getMetadata().getGeneration();
        boolean changed = conditions.set(status.getConditions(), READY, Conditions.FALSE,
                REASON_AWAITING_TRAINING,
                "model accepted with " + model.getSpec().getSharding().getShards()
                        + " shards; this operator build does not train yet",
                generation);
        if (!changed && Long.valueOf(generation).equals(status.getObservedGeneration())) {
            return UpdateControl.noUpdate();
        }
        status.setObservedGeneration(generation);
        ShardedModel patch = new ShardedModel();
        patch.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
                .withName(model.getMetadata().getName())
                .withNamespace(model.getMetadata().getNamespace())
                .build());
        patch.setStatus(status);
        return UpdateControl.patchStatus(patch);
    }
}
