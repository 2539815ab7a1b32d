package dev.unlearning.engine.erasure;

import dev.unlearning.api.worker.ErasureResult;
import dev.unlearning.engine.training.ShardArtifacts;
import dev.unlearning.store.CorruptArtifactException;
import dev.unlearning.store.IdDigestKey;
import dev.unlearning.store.ModelRepository;
import dev.unlearning.store.ShardEntry;
import dev.unlearning.store.SliceEntry;
import dev.unlearning.store.VersionManifest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Deletes what still holds forgotten records, and what nothing needs any more. A version holds a forgotten
 * record when a slice membership of one of its shards lists a tombstoned id: every checkpoint from that slice
 * on was trained on it (after an approximate method too, whose shards keep their old checkpoints). Such
 * versions are erased, except the newest and the served one; of the clean versions, {@code retention} are kept
 * for rollback. Then every blob no kept version references and every staged file are swept, and last every
 * hidden copy the store keeps (older object versions on a versioned bucket, temporary files of killed writers).
 *
 * <p>Safe to repeat and to interrupt: manifests go first, so an erased version can never be loaded half
 * deleted; a blob is swept only when no kept manifest references it, so nothing a kept version needs is ever
 * deleted; a rerun finishes what a crash left. It must not run beside a publish or an unlearning run of the
 * same model (their fresh blobs are not referenced yet): the operator runs it only while the model is idle.
 */
public final class Erasure {

    private final ModelRepository repo;
    private final Map<String, Boolean> membershipHolds = new HashMap<>();

    public Erasure(ModelRepository repo) {
        this.repo = repo;
    }

    public ErasurePlan plan(int served, int retention) throws IOException {
        if (retention < 1) {
            throw new IllegalArgumentException("retention must keep at least one clean version, not " + retention);
        }
        List<Integer> versions = repo.versions();
        if (versions.isEmpty()) {
            throw new CorruptArtifactException("model " + repo.model() + " has no version to erase around");
        }
        int newest = versions.get(versions.size() - 1);
        if (!versions.contains(served)) {
            throw new CorruptArtifactException("the served version " + served + " of model " + repo.model()
                    + " is not in the store");
        }
        Set<String> tombstones = new HashSet<>(repo.version(newest).tombstones());
        IdDigestKey key = tombstones.isEmpty() ? null : repo.idKey();
        TreeSet<Integer> kept = new TreeSet<>(List.of(newest, served));
        List<Integer> holding = new ArrayList<>();
        int clean = 0;
        for (int i = versions.size() - 1; i >= 0; i--) {
            int version = versions.get(i);
            if (holds(repo.version(version), tombstones, key)) {
                holding.add(version);
            } else if (clean < retention) {
                kept.add(version);
                clean++;
            }
        }
        List<Integer> erased = versions.stream().filter(v -> !kept.contains(v)).toList();
        return new ErasurePlan(newest, served, List.copyOf(kept), erased, holding.stream().sorted().toList());
    }

    public ErasureResult execute(ErasurePlan plan) throws IOException {
        for (int version : plan.erased()) {
            repo.deleteVersion(version);
        }
        Set<String> referenced = new HashSet<>();
        for (int version : plan.kept()) {
            referenced.addAll(ModelRepository.referencedBlobs(repo.version(version)));
        }
        List<String> swept = new ArrayList<>();
        for (String digest : repo.blobDigests()) {
            if (!referenced.contains(digest)) {
                repo.deleteBlob(digest);
                swept.add(digest);
            }
        }
        List<String> staging = repo.stagingKeys();
        for (String key : staging) {
            repo.deleteKey(key);
        }
        // Last, once everything above left its own older version or delete marker behind.
        int copies = repo.deleteHiddenCopies();
        return new ErasureResult(repo.model(), plan.served(), plan.kept(), plan.erased(), swept.size(), swept,
                staging.size(), copies, null, null);
    }

    /** Memberships list raw ids (the data's own, erased with their version); tombstones are their keyed digests. */
    private boolean holds(VersionManifest version, Set<String> tombstones, IdDigestKey key) throws IOException {
        if (tombstones.isEmpty()) {
            return false;
        }
        for (ShardEntry shard : version.shards()) {
            for (SliceEntry slice : shard.slices()) {
                Boolean cached = membershipHolds.get(slice.membershipDigest());
                if (cached == null) {
                    cached = key.records(ShardArtifacts.membership(repo, slice)).stream().anyMatch(tombstones::contains);
                    membershipHolds.put(slice.membershipDigest(), cached);
                }
                if (cached) {
                    return true;
                }
            }
        }
        return false;
    }
}
