package dev.unlearning.operator;

import dev.unlearning.api.ShardedModel;
import dev.unlearning.api.ShardedModelStatus;
import dev.unlearning.api.UnlearningRequest;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.time.Instant;
import java.util.List;

/**
 * What one reconcile of a ShardedModel works on, read once and handed to every step: the model, the status the
 * steps write (a copy; the reconciler writes it back once, if it changed), the requests that name the model, the
 * SDK's context (informer caches of the secondary resources) and the time the reconcile started.
 */
public record ModelReconcile(ShardedModel model, ShardedModelStatus status, List<UnlearningRequest> requests,
        Context<ShardedModel> context, Instant now) {

    public String namespace() {
        return model.getMetadata().getNamespace();
    }
}
