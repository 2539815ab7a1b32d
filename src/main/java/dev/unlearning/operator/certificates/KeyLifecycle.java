package dev.unlearning.operator.certificates;

import dev.unlearning.store.attestation.SigningKeys;
import dev.unlearning.store.attestation.TrustedKeys;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How the signing-key Secret records each key's period beside its PEM: {@code <id>.since} (when it began to sign),
 * {@code <id>.retired} (when a rotation replaced it) and {@code <id>.revoked} (when it was declared compromised).
 * Keys from before these entries have no {@code .since} and are valid from the start.
 */
final class KeyLifecycle {

    static final String SINCE = ".since";
    static final String RETIRED = ".retired";
    static final String REVOKED = ".revoked";

    private KeyLifecycle() {
    }

    static TrustedKeys trusted(Map<String, String> secretData, String issuer) {
        List<TrustedKeys.Key> keys = new ArrayList<>();
        secretData.forEach((name, value) -> {
            if (name.endsWith(".pub")) {
                String entry = name.substring(0, name.length() - ".pub".length());
                PublicKey key = SigningKeys.parsePublic(value);
                keys.add(new TrustedKeys.Key(SigningKeys.keyId(key), SigningKeys.publicPem(key),
                        secretData.get(entry + SINCE), secretData.get(entry + RETIRED), secretData.get(entry + REVOKED)));
            }
        });
        return new TrustedKeys(issuer, List.copyOf(keys));
    }
}
