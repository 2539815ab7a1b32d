package dev.unlearning.operator.certificates;

import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;

/** A Secret's entries as text: its base64 {@code data}, and {@code stringData} where a write has not round-tripped. */
final class SecretData {

    private SecretData() {
    }

    static Map<String, String> decoded(Secret secret) {
        Map<String, String> out = new TreeMap<>();
        if (secret == null) {
            return out;
        }
        if (secret.getData() != null) {
            secret.getData().forEach((k, v) -> out.put(k, new String(Base64.getDecoder().decode(v),
                    StandardCharsets.UTF_8)));
        }
        if (secret.getStringData() != null) {
            out.putAll(secret.getStringData());
        }
        return out;
    }
}
