package dev.unlearning.operator.certificates;

import dev.unlearning.operator.conventions.Labels;
import dev.unlearning.store.IdDigestKey;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The per-namespace key that names records by keyed digest. The operator creates it the first time a namespace
 * has a model, create-only: an existing key — an administrator's, or one made earlier — is left exactly as it is
 * (a 409); a chart template would regenerate it on every GitOps re-render and miss namespaces added later. The
 * operator reads it (by name, nothing else) to digest raw ids before they reach a ledger or a Job's files; worker
 * pods mount it. Versions record the key's id, so a replaced key stops every worker instead of un-forgetting.
 */
public class IdDigestKeys {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final KubernetesClient client;
    private final String secret;
    private final Map<String, IdDigestKey> keys = new ConcurrentHashMap<>();

    public IdDigestKeys(KubernetesClient client, String secret) {
        this.client = client;
        this.secret = secret;
    }

    /** Makes sure the namespace has a key (creating one if none) and returns it. */
    public IdDigestKey ensure(String namespace) {
        IdDigestKey known = keys.get(namespace);
        if (known != null) {
            return known;
        }
        Secret existing = client.secrets().inNamespace(namespace).withName(secret).get();
        if (existing == null) {
            existing = create(namespace);
        }
        IdDigestKey key = parse(namespace, existing);
        keys.put(namespace, key);
        return key;
    }

    private Secret create(String namespace) {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        try {
            return client.resource(new SecretBuilder()
                    .withNewMetadata().withName(secret).withNamespace(namespace)
                        .addToLabels(Labels.MANAGED_BY, Labels.OPERATOR).endMetadata()
                    .withType("Opaque")
                    .addToStringData("key", HexFormat.of().formatHex(key))
                    .build()).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                throw e;
            }
            // Another replica (or an administrator) won the race: whatever is stored is the key.
            return client.secrets().inNamespace(namespace).withName(secret).get();
        }
    }

    private IdDigestKey parse(String namespace, Secret stored) {
        String text = SecretData.decoded(stored).get("key");
        if (text == null || text.strip().length() < 16) {
            throw new IllegalStateException("Secret " + namespace + "/" + secret + " has no \"key\" of 16 or more "
                    + "characters: the id-digest key cannot be read");
        }
        // The same bytes worker pods read from the mounted file (stripped), so both make the same digests.
        return new IdDigestKey(text.strip().getBytes(StandardCharsets.UTF_8));
    }
}
