package dev.unlearning.operator.certificates;

import dev.unlearning.operator.conventions.Labels;
import dev.unlearning.store.attestation.TrustedKeys;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Publishes the keys auditors trust in ConfigMap {@value TrustedKeys#CONFIGMAP} of the operator's own namespace,
 * which tenants cannot write and the chart makes readable to every authenticated user: the bundle
 * ({@value TrustedKeys#FILE}, with each key's period) and the PEM of the keys not revoked. It is compared with the
 * signing-key Secret after every certificate and at most once a {@link #CHECK_EVERY} while models reconcile, and
 * rewritten when it differs, so an edit by anyone but the operator does not last.
 */
public class TrustedKeysPublisher {

    static final Duration CHECK_EVERY = Duration.ofSeconds(60);

    private final KubernetesClient client;
    private final CertificateKeys keys;
    private final String namespace;
    private final Clock clock;
    private volatile Instant checkedAt = Instant.MIN;

    public TrustedKeysPublisher(KubernetesClient client, CertificateKeys keys, String namespace, Clock clock) {
        this.client = client;
        this.keys = keys;
        this.namespace = namespace;
        this.clock = clock;
    }

    /** Publishes unless it was checked within the last {@link #CHECK_EVERY}. */
    public void publishIfDue() {
        if (clock.instant().isAfter(checkedAt.plus(CHECK_EVERY))) {
            publish();
        }
    }

    /** Writes the ConfigMap when what it holds is not the Secret's keys. */
    public synchronized void publish() {
        TrustedKeys trusted = keys.get().trusted();
        Map<String, String> data = Map.of(TrustedKeys.FILE, trusted.toJson(), TrustedKeys.PEM_FILE, trusted.pem());
        ConfigMap stored = client.configMaps().inNamespace(namespace).withName(TrustedKeys.CONFIGMAP).get();
        if (stored == null || !data.equals(stored.getData())) {
            client.resource(new ConfigMapBuilder()
                    .withNewMetadata().withName(TrustedKeys.CONFIGMAP).withNamespace(namespace)
                        .addToLabels(Labels.MANAGED_BY, Labels.OPERATOR).endMetadata()
                    .withData(data)
                    .build()).forceConflicts().serverSideApply();
        }
        checkedAt = clock.instant();
    }
}
