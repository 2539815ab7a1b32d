package dev.unlearning.store;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Collection;
import java.util.HexFormat;
import java.util.TreeSet;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A namespace's id-digest key (Secret {@code unlearning-id-key}): tombstones, ledgers, request files and certificate
 * evidence name records by HMAC-SHA256 under it, never by raw id. Only pods of the namespace and the operator hold
 * it; it signs nothing (certificates are signed by the operator's Ed25519 key).
 */
public final class IdDigestKey {

    private final byte[] key;
    private final String id;

    public IdDigestKey(byte[] key) {
        if (key == null || key.length < 16) {
            throw new IllegalArgumentException("an id-digest key must have 16 or more bytes");
        }
        this.key = key.clone();
        // An id that names the key without revealing it: versions record it, so a replaced key is caught.
        this.id = hmac(newMac(), "unlearning.dev/id-digest-key").substring(0, 16);
    }

    /** The key's public name, recorded with every set of digests made with it. */
    public String id() {
        return id;
    }

    /** A record id as tombstones and requests name it: HMAC-SHA256 of "record:&lt;id&gt;", hex. */
    public String record(String recordId) {
        return hmac(newMac(), "record:" + recordId);
    }

    /** A data subject as requests may name it: HMAC-SHA256 of "subject:&lt;id&gt;", hex. */
    public String subject(String subject) {
        return hmac(newMac(), "subject:" + subject);
    }

    /** The record digests of many ids, sorted (one MAC for all: a dataset's worth is cheap). */
    public TreeSet<String> records(Collection<String> recordIds) {
        Mac mac = newMac();
        TreeSet<String> digests = new TreeSet<>();
        for (String recordId : recordIds) {
            digests.add(hmac(mac, "record:" + recordId));
        }
        return digests;
    }

    /** The record digest of each id, in order; {@code null} stays {@code null}. */
    public String[] recordsInOrder(String[] recordIds) {
        Mac mac = newMac();
        String[] digests = new String[recordIds.length];
        for (int i = 0; i < recordIds.length; i++) {
            digests[i] = recordIds[i] == null ? null : hmac(mac, "record:" + recordIds[i]);
        }
        return digests;
    }

    public byte[] bytes() {
        return key.clone();
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JVM has HmacSHA256", e);
        }
    }

    private static String hmac(Mac mac, String text) {
        return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public String toString() {
        return "id-digest key " + id;
    }
}
