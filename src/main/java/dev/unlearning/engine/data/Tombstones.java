package dev.unlearning.engine.data;

import dev.unlearning.store.ModelRepository;
import dev.unlearning.store.VersionManifest;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A tombstone set as a worker uses it: the keyed digests a version stores, and — for one dataset — the ids of the
 * rows they name. Digests that name no row of this data (a record gone from the source) are kept all the same:
 * a tombstone is never dropped. Without the namespace's id-digest key only an empty set can be used: making or
 * matching a digest fails closed.
 */
public final class Tombstones {

    private final ModelRepository repo;
    private final TreeSet<String> digests;

    private Tombstones(ModelRepository repo, TreeSet<String> digests) {
        this.repo = repo;
        this.digests = digests;
    }

    /** The tombstones of {@code version} (none without one), as {@code repo} read it. */
    public static Tombstones of(ModelRepository repo, Optional<VersionManifest> version) {
        return new Tombstones(repo, new TreeSet<>(version.map(VersionManifest::tombstones).orElse(List.of())));
    }

    public static Tombstones of(ModelRepository repo, VersionManifest version) {
        return of(repo, Optional.of(version));
    }

    /** These tombstones and the records {@code recordIds} names. */
    public Tombstones withIds(Collection<String> recordIds) {
        if (recordIds.isEmpty()) {
            return this;
        }
        TreeSet<String> all = new TreeSet<>(digests);
        all.addAll(repo.idKey().records(recordIds));
        return new Tombstones(repo, all);
    }

    /** These tombstones and digests made elsewhere with the same key (a staged training's). */
    public Tombstones withDigests(Collection<String> more) {
        TreeSet<String> all = new TreeSet<>(digests);
        all.addAll(more);
        return new Tombstones(repo, all);
    }

    /** The ids of {@code data}'s rows that are tombstoned: what no shard of it may train on. */
    public Set<String> idsIn(Dataset data) {
        Set<String> ids = new HashSet<>();
        if (digests.isEmpty()) {
            return ids;
        }
        String[] all = new String[data.size()];
        for (int row = 0; row < all.length; row++) {
            all[row] = data.id(row);
        }
        String[] rowDigests = repo.idKey().recordsInOrder(all);
        for (int row = 0; row < all.length; row++) {
            if (digests.contains(rowDigests[row])) {
                ids.add(all[row]);
            }
        }
        return ids;
    }

    /** What a version stores: the sorted digests. */
    public List<String> digests() {
        return List.copyOf(digests);
    }

    /** The key's id, stored beside the digests; none for an empty set. */
    public String keyId() {
        return digests.isEmpty() ? null : repo.idKey().id();
    }
}
