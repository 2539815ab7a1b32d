package dev.unlearning.store;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A complete model version. It becomes visible only when this manifest is written, and it is written last,
 * after every blob it names: a job that dies midway leaves no version behind, only unreferenced blobs.
 *
 * @param tombstones every record this model has been asked to forget, in any version up to this one, as keyed
 *        digests ({@link IdDigestKey#record}): the one list kept forever names nobody
 * @param tombstoneKey the id of the {@link IdDigestKey} the tombstones were made with; absent only in versions
 *        written before tombstones were digests, whose tombstones are raw ids
 * @param cause what produced the version: "train", or "unlearn:&lt;method&gt;" with the request ids
 */
public record VersionManifest(String model, int version, Integer parentVersion, String createdAt,
        ModelLayout layout, List<String> tombstones, String tombstoneKey, List<ShardEntry> shards, String cause,
        List<String> requests) {

    /**
     * The digest of a tombstone set, as certificates name it: SHA-256 over the sorted entries, one per line. It lets
     * an auditor check that a version forgot exactly what a certificate claims without the certificate holding them.
     */
    public static String tombstoneDigest(java.util.Collection<String> tombstones) {
        return Digests.sha256(String.join("\n", new java.util.TreeSet<>(tombstones))
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Digest of the whole ensemble: the shard model digests in shard order. */
    public String ensembleDigest() {
        return Digests.sha256(String.join(",", shards.stream().map(ShardEntry::modelDigest).toList())
                .getBytes(StandardCharsets.UTF_8));
    }
}
