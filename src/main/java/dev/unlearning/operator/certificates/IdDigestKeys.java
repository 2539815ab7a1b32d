package dev.unlearning.operator.certificates;

import dev.unlearning.operator.Labels;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The per-namespace key that finalize and erase pods use to digest record ids in their store evidence. The
 * operator creates it the first time a namespace has a model, create-only: it never reads it (no RBAC to), and an
 * existing key — an administrator's, or one made earlier — is left exactly as it is (a 409). A chart template
 * would regenerate it on every GitOps re-render and miss namespaces added later.
 */
public class IdDigestKeys {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final KubernetesClient client;
    private final String secret;
    private final Set<String> ensured = ConcurrentHashMap.newKeySet();

    public IdDigestKeys(KubernetesClient client, String secret) {
        this.client = client;
        this.secret = secret;
    }

    public void ensure(String namespace) {
        if (ensured.contains(namespace)) {
            return;
        }
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        try {
            client.resource(new SecretBuilder()
                    .withNewMetadata().withName(secret).withNamespace(namespace)
                        .addToLabels(Labels.MANAGED_BY, Labels.OPERATOR).endMetadata()
                    .withType("Opaque")
                    .addToStringData("key", HexFormat.of().formatHex(key))
                    .build()).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                throw e;
            }
        }
        ensured.add(namespace);
    }
}
