package dev.unlearning.operator.certificates;

import dev.unlearning.store.attestation.SigningKeys;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Rotates and revokes the certificate signing key. A rotation makes a fresh Ed25519 pair active, marks the previous
 * one retired from now on (its certificates from before stay valid), keeps every public key published and deletes
 * the retired private keys, so a leaked old key can no longer be used from this Secret. A revocation marks a key
 * compromised from a given time: every certificate that says it was signed with it at or after that time fails
 * {@code verify}. Writes are a compare-and-swap on the Secret's resourceVersion: two changes at once cannot lose a key.
 */
public final class SigningKeyRotation {

    /** What a rotation did. */
    public record Rotated(String activeId, List<String> retiredIds, List<String> publishedIds) {
    }

    private SigningKeyRotation() {
    }

    public static Rotated rotate(KubernetesClient client, String namespace, String secretName, Instant now) {
        Secret secret = read(client, namespace, secretName);
        Map<String, String> data = SecretData.decoded(secret);
        Rotated rotated = rotate(data, now);
        write(client, secret, data);
        return rotated;
    }

    /**
     * Marks {@code keyId} revoked from {@code from} on; the active key is first rotated out, so the operator never
     * signs with a revoked key.
     */
    public static Rotated revoke(KubernetesClient client, String namespace, String secretName, String keyId,
            Instant from, Instant now) {
        Secret secret = read(client, namespace, secretName);
        Map<String, String> data = SecretData.decoded(secret);
        if (!data.containsKey(keyId + ".pub")) {
            throw new IllegalStateException("Secret " + namespace + "/" + secretName + " has no key " + keyId
                    + "; its keys are " + ids(data, ".pub"));
        }
        Rotated rotated = keyId.equals(data.get("active").strip()) ? rotate(data, now)
                : new Rotated(data.get("active").strip(), List.of(), ids(data, ".pub"));
        data.put(keyId + KeyLifecycle.REVOKED, from.toString());
        data.remove(keyId + ".key");
        write(client, secret, data);
        return rotated;
    }

    private static Rotated rotate(Map<String, String> data, Instant now) {
        List<String> retired = ids(data, ".key");
        String previous = data.get("active") == null ? null : data.get("active").strip();
        KeyPair pair = SigningKeys.generate();
        String id = SigningKeys.keyId(pair.getPublic());
        retired.forEach(old -> data.remove(old + ".key"));
        if (previous != null) {
            data.putIfAbsent(previous + KeyLifecycle.RETIRED, now.toString());
        }
        data.put(id + ".key", SigningKeys.privatePem(pair.getPrivate()));
        data.put(id + ".pub", SigningKeys.publicPem(pair.getPublic()));
        data.put(id + KeyLifecycle.SINCE, now.toString());
        data.put("active", id);
        return new Rotated(id, retired, ids(data, ".pub"));
    }

    private static Secret read(KubernetesClient client, String namespace, String secretName) {
        Secret secret = client.secrets().inNamespace(namespace).withName(secretName).get();
        if (secret == null) {
            throw new IllegalStateException("Secret " + namespace + "/" + secretName + " does not exist: the "
                    + "operator creates it when it signs its first certificate; there is nothing to rotate yet");
        }
        return secret;
    }

    private static void write(KubernetesClient client, Secret secret, Map<String, String> data) {
        Map<String, String> encoded = new TreeMap<>();
        data.forEach((k, v) -> encoded.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
        secret.setData(encoded);
        secret.setStringData(null);
        // update() sends the resourceVersion read above: a concurrent change makes this fail with 409, not vanish.
        client.resource(secret).update();
    }

    private static List<String> ids(Map<String, String> data, String suffix) {
        return data.keySet().stream().filter(k -> k.endsWith(suffix))
                .map(k -> k.substring(0, k.length() - suffix.length())).toList();
    }
}
