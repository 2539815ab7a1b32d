package dev.unlearning.operator.certificates;

import dev.unlearning.operator.conventions.Labels;
import dev.unlearning.store.attestation.SigningKeys;
import dev.unlearning.store.attestation.TrustedKeys;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Map;

/**
 * The Ed25519 keys certificates are signed with, in one Secret of the operator's own namespace: {@code <id>.key}
 * and {@code <id>.pub} (PEM) per key and {@code active} naming the one that signs. The operator creates it with one
 * key the first time it signs, so nothing re-renders it (a Helm template would, on every GitOps sync). To rotate,
 * run {@code unlearning-operator rotate-signing-key} ({@link SigningKeyRotation}): the old public keys stay, so
 * earlier certificates stay verifiable. The key never leaves this namespace: no pod mounts it.
 */
public class CertificateKeys {

    /** The active signing key, and every public key with the period it may sign in. */
    public record Loaded(String activeId, PrivateKey active, TrustedKeys trusted) {

        public Map<String, PublicKey> publicKeys() {
            return trusted.publicKeys();
        }
    }

    /** How long a read of the Secret is used: a rotation takes effect within this, without a restart. */
    static final Duration RELOAD_AFTER = Duration.ofSeconds(60);

    private final KubernetesClient client;
    private final String namespace;
    private final String secret;
    private final Clock clock;
    private volatile Loaded loaded;
    private volatile Instant loadedAt = Instant.MIN;

    public CertificateKeys(KubernetesClient client, String namespace, String secret, Clock clock) {
        this.client = client;
        this.namespace = namespace;
        this.secret = secret;
        this.clock = clock;
    }

    /** The keys as last read, read again once {@link #RELOAD_AFTER} has passed (or after {@link #reload()}). */
    public Loaded get() {
        Loaded current = loaded;
        Instant now = clock.instant();
        if (current == null || now.isAfter(loadedAt.plus(RELOAD_AFTER))) {
            current = load();
            loaded = current;
            loadedAt = now;
        }
        return current;
    }

    public void reload() {
        loaded = null;
    }

    private Loaded load() {
        Secret existing = client.secrets().inNamespace(namespace).withName(secret).get();
        if (existing == null) {
            existing = create();
        }
        Map<String, String> data = SecretData.decoded(existing);
        String active = data.get("active");
        if (active == null || !data.containsKey(active.strip() + ".key")) {
            throw new IllegalStateException("Secret " + namespace + "/" + secret + " names no usable active key "
                    + "(\"active\" must name an <id> with <id>.key and <id>.pub)");
        }
        PrivateKey privateKey = SigningKeys.parsePrivate(data.get(active.strip() + ".key"));
        PublicKey activePublic = SigningKeys.parsePublic(data.get(active.strip() + ".pub"));
        TrustedKeys trusted = KeyLifecycle.trusted(data, namespace + "/" + secret);
        String activeId = SigningKeys.keyId(activePublic);
        trusted.refusal(activeId, clock.instant().toString()).ifPresent(why -> {
            throw new IllegalStateException("the active signing key cannot sign now: " + why
                    + "; run rotate-signing-key");
        });
        return new Loaded(activeId, privateKey, trusted);
    }

    private Secret create() {
        KeyPair pair = SigningKeys.generate();
        String id = SigningKeys.keyId(pair.getPublic());
        Secret fresh = new SecretBuilder()
                .withNewMetadata().withName(secret).withNamespace(namespace)
                    .addToLabels(Labels.MANAGED_BY, Labels.OPERATOR).endMetadata()
                .withType("Opaque")
                .addToStringData(id + ".key", SigningKeys.privatePem(pair.getPrivate()))
                .addToStringData(id + ".pub", SigningKeys.publicPem(pair.getPublic()))
                .addToStringData("active", id)
                .addToStringData(id + KeyLifecycle.SINCE, clock.instant().toString())
                .build();
        try {
            client.resource(fresh).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                throw e;
            }
        }
        // Another replica may have won the race: whatever is stored is the key.
        return client.secrets().inNamespace(namespace).withName(secret).get();
    }
}
