package dev.unlearning.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Signs and verifies certificates with HMAC-SHA256 over their canonical JSON (sorted keys, no signature). */
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

    /** One keyed digest of a whole tombstone set: equal sets give equal digests, and no id can be read back. */
    public static String tombstoneSetDigest(Collection<String> tombstones, byte[] key) {
        return hmac(key, String.join("\n", hashIds(tombstones, key)).getBytes(StandardCharsets.UTF_8));
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

    /** Keyed hashes of record ids, sorted so the list reveals nothing about request order. */
    /** A record id as requests may name it without writing it down: HMAC-SHA256 of "record:<id>", hex. */
    public static String recordDigest(byte[] key, String id) {
        return hmac(key, ("record:" + id).getBytes(StandardCharsets.UTF_8));
    }

    /** A data subject as requests may name it: HMAC-SHA256 of "subject:<id>", hex. */
    public static String subjectDigest(byte[] key, String subject) {
        return hmac(key, ("subject:" + subject).getBytes(StandardCharsets.UTF_8));
    }

    public static List<String> hashIds(Collection<String> ids, byte[] key) {
        return ids.stream().map(id -> hmac(key, ("record:" + id).getBytes(StandardCharsets.UTF_8))).sorted().toList();
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
