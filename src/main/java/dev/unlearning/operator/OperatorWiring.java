package dev.unlearning.operator;

import dev.unlearning.operator.config.OperatorSettings;
import dev.unlearning.operator.certificates.CertificateKeys;
import dev.unlearning.operator.certificates.IdDigestKeys;
import dev.unlearning.operator.certificates.TrustedKeysPublisher;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;

/**
 * What the reconcilers share, built in one place for the CDI producer and for tests alike.
 */
public record OperatorWiring(KubernetesClient client, OperatorSettings settings, Clock clock, EventRecorder events,
        OperatorMetrics metrics, IdDigestKeys idKeys, CertificateKeys certificateKeys, TrustedKeysPublisher trustedKeys) {

    public static OperatorWiring create(KubernetesClient client, OperatorSettings settings, Clock clock,
            MeterRegistry registry) {
        CertificateKeys keys = new CertificateKeys(client, settings.operatorNamespace(), settings.certificateKeysSecret(),
                clock);
        return new OperatorWiring(client, settings, clock, new EventRecorder(client), new OperatorMetrics(registry),
                new IdDigestKeys(client, settings.idKeySecret()), keys,
                new TrustedKeysPublisher(client, keys, settings.operatorNamespace(), clock));
    }

    /** A fresh reconciler: dependents and the Job cache hold informers, which belong to one operator. */
    public ShardedModelReconciler modelReconciler() {
        return new ShardedModelReconciler(this);
    }

    public UnlearningRequestReconciler requestReconciler() {
        return new UnlearningRequestReconciler(this);
    }
}
