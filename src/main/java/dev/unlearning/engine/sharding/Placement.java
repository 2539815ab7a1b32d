package dev.unlearning.engine.sharding;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Where a record lives: its shard and slice, a pure function of (record id, seed, shards, slices) or, placed by
 * subject, of (subject id, its span, record id, seed, shards, slices). Because it needs no data, the operator
 * can tell which shards a request touches before any pod starts. SHA-256 keeps the function identical across
 * JVMs, languages and releases, unlike String.hashCode or a seeded Random.
 */
public record Placement(int shard, int slice) {

    public static Placement of(String recordId, long seed, int shards, int slices) {
        requirePositive(shards, slices);
        byte[] hash = sha256(seed + ":" + recordId);
        long shardBits = toLong(hash, 0);
        long sliceBits = toLong(hash, 8);
        return new Placement((int) Long.remainderUnsigned(shardBits, shards),
                (int) Long.remainderUnsigned(sliceBits, slices));
    }

    /**
     * A subject's record. A subject of ordinary size keeps all its records in one slice of its home shard, both
     * picked by the subject id: forgetting the person retrains that shard from that slice on, which no record of
     * theirs precedes; across subjects, shards and slices still spread evenly. An oversized subject ({@code span}
     * shards) spreads its records over those consecutive shards and their slices by record id.
     */
    public static Placement ofSubjectRecord(String recordId, String subject, int span, long seed, int shards,
            int slices) {
        if (span < 1 || span > shards) {
            throw new IllegalArgumentException("a subject spans 1 to " + shards + " shards, not " + span);
        }
        byte[] home = sha256(seed + ":subject:" + subject);
        int homeShard = (int) Long.remainderUnsigned(toLong(home, 0), shards);
        if (span == 1) {
            return new Placement(homeShard, (int) Long.remainderUnsigned(toLong(home, 8), slices));
        }
        byte[] hash = sha256(seed + ":" + recordId);
        int offset = (int) Long.remainderUnsigned(toLong(hash, 0), span);
        return new Placement((homeShard + offset) % shards, (int) Long.remainderUnsigned(toLong(hash, 8), slices));
    }

    /** The first shard of a subject's records, from the subject id alone. */
    public static int homeShard(String subject, long seed, int shards) {
        requirePositive(shards, 1);
        return (int) Long.remainderUnsigned(toLong(sha256(seed + ":subject:" + subject), 0), shards);
    }

    private static void requirePositive(int shards, int slices) {
        if (shards < 1 || slices < 1) {
            throw new IllegalArgumentException("shards and slices must be positive");
        }
    }

    private static long toLong(byte[] bytes, int offset) {
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value = (value << 8) | (bytes[offset + i] & 0xffL);
        }
        return value;
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
