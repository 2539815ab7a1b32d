package dev.unlearning.engine.sharding;

import dev.unlearning.api.ShardPlacement;
import dev.unlearning.engine.data.Dataset;
import dev.unlearning.store.IdDigestKey;
import dev.unlearning.store.ModelLayout;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * How a model places its records, fixed when it is trained and carried by every later version's layout, so the
 * checkpoints of shards that did not change keep fitting. By subject, a subject's records share their home
 * shard and one slice of it; a subject with more than twice the mean shard size would unbalance it, so such a
 * subject (chosen once, at training) spreads over ⌈records / mean shard size⌉ consecutive shards. There can be at most shards / 2 of
 * them, so the layout can name them all — by keyed digest, so no manifest or status names a person.
 */
public final class PlacementRule {

    private final ShardPlacement placement;
    private final long seed;
    private final int shards;
    private final int slices;
    private final Map<String, Integer> spreadByDigest;
    private final IdDigestKey key;
    private final Map<String, Integer> spanBySubject = new HashMap<>();

    private PlacementRule(ShardPlacement placement, long seed, int shards, int slices,
            Map<String, Integer> spreadByDigest, IdDigestKey key) {
        this.placement = placement;
        this.seed = seed;
        this.shards = shards;
        this.slices = slices;
        this.spreadByDigest = Map.copyOf(spreadByDigest);
        this.key = key;
        if (!spreadByDigest.isEmpty() && key == null) {
            throw new IllegalArgumentException("the layout spreads oversized subjects by keyed digest; placing records "
                    + "needs the namespace's id-digest key");
        }
    }

    public static PlacementRule byRecord(long seed, int shards, int slices) {
        return new PlacementRule(ShardPlacement.BY_RECORD, seed, shards, slices, Map.of(), null);
    }

    /** The rule a version was trained with; layouts from before placement was recorded are ByRecord. */
    public static PlacementRule of(ModelLayout layout, IdDigestKey key) {
        return new PlacementRule(layout.effectivePlacement(), layout.seed(), layout.shards(), layout.slices(),
                layout.spreadSubjects() == null ? Map.of() : layout.spreadSubjects(), key);
    }

    /**
     * The spans of the subjects in {@code data} that are too large for one shard, by keyed digest: what a new
     * training records in its layout. Counted over the whole dataset, tombstoned records included, so the rule
     * is a function of the data alone and every pod of a training computes the same one.
     */
    public static TreeMap<String, Integer> oversizedSubjects(Dataset data, int shards, Supplier<IdDigestKey> key) {
        Map<String, Integer> counts = new HashMap<>();
        for (int row = 0; row < data.size(); row++) {
            String subject = data.subject(row);
            if (subject != null) {
                counts.merge(subject, 1, Integer::sum);
            }
        }
        long mean = Math.max(1, (data.size() + shards - 1) / shards);
        TreeMap<String, Integer> spread = new TreeMap<>();
        for (var e : counts.entrySet()) {
            if (e.getValue() > 2 * mean) {
                spread.put(key.get().subject(e.getKey()), (int) Math.min(shards, (e.getValue() + mean - 1) / mean));
            }
        }
        return spread;
    }

    public ShardPlacement placement() {
        return placement;
    }

    public long seed() {
        return seed;
    }

    public int shards() {
        return shards;
    }

    public int slices() {
        return slices;
    }

    public Placement place(String recordId, String subject) {
        if (placement != ShardPlacement.BY_SUBJECT || subject == null) {
            return Placement.of(recordId, seed, shards, slices);
        }
        return Placement.ofSubjectRecord(recordId, subject, span(subject), seed, shards, slices);
    }

    /** Every shard that can hold a record of {@code subject}: what a subject request must retrain. */
    public TreeSet<Integer> shardsOfSubject(String subject) {
        TreeSet<Integer> out = new TreeSet<>();
        int home = Placement.homeShard(subject, seed, shards);
        for (int i = 0; i < span(subject); i++) {
            out.add((home + i) % shards);
        }
        return out;
    }

    private synchronized int span(String subject) {
        if (spreadByDigest.isEmpty()) {
            return 1;
        }
        return spanBySubject.computeIfAbsent(subject, s -> spreadByDigest.getOrDefault(key.subject(s), 1));
    }
}
