package dev.unlearning.store.attestation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals and checks the store evidence of a run (the finalize or erase pod's certificate) with HMAC-SHA256 under the
 * namespace's id-digest key, over canonical JSON (sorted keys, no seal). The seal only catches corruption: anyone
 * with the key can make one. What proves the evidence is the operator's Ed25519-signed statement, which pins its
 * SHA-256.
 */
public final class Certificates {

    private static final ObjectMapper CANONICAL = JsonMapper.builder()
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    private Certificates() {
    }

    public static Certificate sign(Certificate unsigned, byte[] key) {
        return unsigned.withSignature(hmac(key, canonical(unsigned.withSignature(null))));
    }

    public static ErasureCertificate sign(ErasureCertificate unsigned, byte[] key) {
        return unsigned.withSignature(hmac(key, canonicalBytes(unsigned.withSignature(null))));
    }

    /** True only if the erasure certificate's bytes are unchanged since they were signed with this key. */
    public static boolean verifyErasure(byte[] certificateJson, byte[] key) {
        try {
            ErasureCertificate certificate = CANONICAL.readValue(certificateJson, ErasureCertificate.class);
            return certificate.signature() != null && MessageDigest.isEqual(
                    hmac(key, canonicalBytes(certificate.withSignature(null))).getBytes(StandardCharsets.US_ASCII),
                    certificate.signature().getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            return false;
        }
    }

    public static byte[] toJson(ErasureCertificate certificate) {
        try {
            return CANONICAL.writerWithDefaultPrettyPrinter().writeValueAsBytes(certificate);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** True only if the certificate's bytes are unchanged since they were signed with this key. */
    public static boolean verify(byte[] certificateJson, byte[] key) {
        try {
            Certificate certificate = CANONICAL.readValue(certificateJson, Certificate.class);
            if (certificate.signature() == null) {
                return false;
            }
            byte[] expected = hmac(key, canonical(certificate.withSignature(null))).getBytes(StandardCharsets.US_ASCII);
            return MessageDigest.isEqual(expected, certificate.signature().getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            return false;
        }
    }

    public static byte[] toJson(Certificate certificate) {
        try {
            return CANONICAL.writerWithDefaultPrettyPrinter().writeValueAsBytes(certificate);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] canonical(Certificate certificate) {
        return canonicalBytes(certificate);
    }

    private static byte[] canonicalBytes(Object certificate) {
        try {
            return CANONICAL.writeValueAsBytes(certificate);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(data));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JVM has HmacSHA256", e);
        }
    }
}
