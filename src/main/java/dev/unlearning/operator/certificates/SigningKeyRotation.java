package dev.unlearning.operator.certificates;

import dev.unlearning.store.attestation.SigningKeys;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Rotates the certificate signing key: a fresh Ed25519 pair becomes active, every earlier public key stays
 * published (so every certificate ever issued still verifies), and the retired private keys are deleted, so a
 * leaked old key can no longer be used from this Secret. The write is a compare-and-swap on the Secret's
 * resourceVersion: two rotations at once cannot lose a key.
 */
public final class SigningKeyRotation {

    /** What a rotation did. */
    public record Rotated(String activeId, List<String> retiredIds, List<String> publishedIds) {
    }

    private SigningKeyRotation() {
    }

    public static Rotated rotate(KubernetesClient client, String namespace, String secretName) {
        Secret secret = client.secrets().inNamespace(namespace).withName(secretName).get();
        if (secret == null) {
            throw new IllegalStateException("Secret " + namespace + "/" + secretName + " does not exist: the "
                    + "operator creates it when it signs its first certificate; there is nothing to rotate yet");
        }
        Map<String, String> data = SecretData.decoded(secret);
        List<String> retired = data.keySet().stream().filter(k -> k.endsWith(".key"))
                .map(k -> k.substring(0, k.length() - ".key".length())).toList();
        KeyPair pair = SigningKeys.generate();
        String id = SigningKeys.keyId(pair.getPublic());
        retired.forEach(old -> data.remove(old + ".key"));
        data.put(id + ".key", SigningKeys.privatePem(pair.getPrivate()));
        data.put(id + ".pub", SigningKeys.publicPem(pair.getPublic()));
        data.put("active", id);
        Map<String, String> encoded = new TreeMap<>();
        data.forEach((k, v) -> encoded.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
        secret.setData(encoded);
        secret.setStringData(null);
        // update() sends the resourceVersion read above: a concurrent change makes this fail with 409, not vanish.
        client.resource(secret).update();
        List<String> published = data.keySet().stream().filter(k -> k.endsWith(".pub"))
                .map(k -> k.substring(0, k.length() - ".pub".length())).toList();
        return new Rotated(id, retired, published);
    }
}
