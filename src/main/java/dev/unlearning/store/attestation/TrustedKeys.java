package dev.unlearning.store.attestation;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.unlearning.store.ModelRepository;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.PublicKey;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The operator's signing keys as an auditor trusts them: each public key with the period it may sign in. A key
 * signs from {@code validFrom} until it is retired by a rotation; a revoked key (leaked, say) makes every
 * certificate that says it was signed at or after {@code revokedAt} invalid. The operator publishes this bundle
 * where tenants cannot write ({@value #FILE} in ConfigMap {@value #CONFIGMAP} of its own namespace); {@code verify
 * --trusted-keys} reads it. Plain PEM keys, without periods, stay accepted as {@link #unbounded}.
 */
public record TrustedKeys(String issuer, List<Key> keys) {

    public static final String CONFIGMAP = "unlearning-trusted-keys";
    public static final String FILE = "keys.json";
    /** The same keys as PEM, revoked ones left out, for tools that take PEM (cosign, openssl). */
    public static final String PEM_FILE = "keys.pem";

    /** One key and its period; times are RFC 3339, null where unbounded or not (yet) set. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Key(String keyId, String publicKey, String validFrom, String retiredAt, String revokedAt) {
    }

    public static TrustedKeys unbounded(Map<String, PublicKey> keys) {
        List<Key> list = new ArrayList<>();
        keys.forEach((id, key) -> list.add(new Key(id, SigningKeys.publicPem(key), null, null, null)));
        return new TrustedKeys(null, list);
    }

    public static TrustedKeys parse(String json) {
        try {
            TrustedKeys parsed = ModelRepository.JSON.readValue(json, TrustedKeys.class);
            if (parsed.keys() == null) {
                throw new IllegalArgumentException("the trusted-keys bundle lists no keys");
            }
            return parsed;
        } catch (IOException e) {
            throw new IllegalArgumentException("not a trusted-keys bundle (" + FILE + "): " + e.getMessage());
        }
    }

    public String toJson() {
        try {
            return ModelRepository.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(this) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every key by id, revoked ones included: a signature is first checked, then the key's period. */
    public Map<String, PublicKey> publicKeys() {
        Map<String, PublicKey> byId = new TreeMap<>();
        for (Key key : keys) {
            PublicKey parsed = SigningKeys.parsePublic(key.publicKey());
            String id = SigningKeys.keyId(parsed);
            if (key.keyId() != null && !key.keyId().equals(id)) {
                throw new IllegalArgumentException("the bundle names key " + key.keyId() + " but its public key has id "
                        + id);
            }
            byId.put(id, parsed);
        }
        return byId;
    }

    public String pem() {
        StringBuilder out = new StringBuilder();
        keys.stream().filter(k -> k.revokedAt() == null).forEach(k -> out.append(k.publicKey()));
        return out.toString();
    }

    public Optional<Key> key(String keyId) {
        return keys.stream().filter(k -> keyId.equals(k.keyId())).findFirst();
    }

    /**
     * Whether {@code keyId} could sign at {@code signedAt}; the reason names the period it fell outside. A key with
     * a period and a certificate without a readable signing time fail: the period cannot be checked.
     */
    public Optional<String> refusal(String keyId, String signedAt) {
        Optional<Key> found = key(keyId);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Key key = found.get();
        if (key.validFrom() == null && key.retiredAt() == null && key.revokedAt() == null) {
            return Optional.empty();
        }
        Instant at;
        try {
            at = Instant.parse(String.valueOf(signedAt));
        } catch (DateTimeParseException e) {
            return Optional.of("the certificate states no readable signing time (issuedAt " + signedAt
                    + "), so key " + keyId + "'s validity period cannot be checked");
        }
        if (key.revokedAt() != null && !at.isBefore(Instant.parse(key.revokedAt()))) {
            return Optional.of("key " + keyId + " was revoked at " + key.revokedAt() + " and this certificate says it "
                    + "was signed at " + signedAt);
        }
        if (key.retiredAt() != null && at.isAfter(Instant.parse(key.retiredAt()))) {
            return Optional.of("key " + keyId + " was retired at " + key.retiredAt() + " and this certificate says it "
                    + "was signed later, at " + signedAt);
        }
        if (key.validFrom() != null && at.isBefore(Instant.parse(key.validFrom()))) {
            return Optional.of("key " + keyId + " is valid from " + key.validFrom() + " and this certificate says it "
                    + "was signed earlier, at " + signedAt);
        }
        return Optional.empty();
    }

    /** One line for verify's output: the key and its period. */
    public String describe(String keyId) {
        return key(keyId).map(k -> "key " + keyId + ": valid from " + (k.validFrom() == null ? "(unbounded)" : k.validFrom())
                + (k.retiredAt() == null ? "" : ", retired " + k.retiredAt())
                + (k.revokedAt() == null ? "" : ", REVOKED " + k.revokedAt())
                + (issuer == null ? "" : "; published by " + issuer)).orElse("key " + keyId);
    }
}
