package dev.unlearning.operator;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import java.util.function.BiConsumer;

/**
 * How a reconciler writes its own object's status: a PUT of the whole status that names the resourceVersion it
 * read, then the written object goes into the operator's cache so the next reconcile starts from it. Each
 * status has one writer, so a conflict only means the spec or metadata moved meanwhile; the SDK retries.
 * The scale benchmark showed server-side apply of status costing the API server several times a PUT.
 */
final class StatusWrites {

    private StatusWrites() {
    }

    static <P extends HasMetadata, S> void put(P primary, Context<P> context, S status, BiConsumer<P, S> setter) {
        PrimaryUpdateAndCacheUtils.updateStatusAndCacheResource(primary, context, fresh -> {
            setter.accept(fresh, status);
            return fresh;
        });
    }

    static boolean conflict(Exception e) {
        Throwable cause = e;
        while (cause != null && !(cause instanceof KubernetesClientException)) {
            cause = cause.getCause();
        }
        return cause instanceof KubernetesClientException k && k.getCode() == 409;
    }
}
