package dev.unlearning.engine.sharding;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Where a record lives: its shard and slice, a pure function of (record id, seed, shards, slices). Because it
 * needs no data, the operator can tell which shards a request touches before any pod starts. SHA-256 keeps
 * the function identical across JVMs, languages and releases, unlike String.hashCode or a seeded Random.
 */
public record Placement(int shard, int slice) {

    public static Placement of(String recordId, long seed, int shards, int slices) {
        if (shards < 1 || slices < 1) {
            throw new IllegalArgumentException("shards and slices must be positive");
        }
        byte[] hash = sha256(seed + ":" + recordId);
        long shardBits = toLong(hash, 0);
        long sliceBits = toLong(hash, 8);
        return new Placement((int) Long.remainderUnsigned(shardBits, shards),
                (int) Long.remainderUnsigned(sliceBits, slices));
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
