package dev.unlearning.operator;

import dev.unlearning.operator.config.OperatorSettings;
import dev.unlearning.operator.certificates.IdDigestKeys;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;

/**
 * What the reconcilers share, built in one place for the CDI producer and for tests alike.
 */
public record OperatorWiring(KubernetesClient client, OperatorSettings settings, Clock clock, EventRecorder events,
        OperatorMetrics metrics, IdDigestKeys idKeys) {

    public static OperatorWiring create(KubernetesClient client, OperatorSettings settings, Clock clock,
            MeterRegistry registry) {
        return new OperatorWiring(client, settings, clock, new EventRecorder(client), new OperatorMetrics(registry),
                new IdDigestKeys(client, settings.idKeySecret()));
    }

    /** A fresh reconciler: dependents and the Job cache hold informers, which belong to one operator. */
    public ShardedModelReconciler modelReconciler() {
        return new ShardedModelReconciler(this);
    }

    public UnlearningRequestReconciler requestReconciler() {
        return new UnlearningRequestReconciler(this);
    }
}
