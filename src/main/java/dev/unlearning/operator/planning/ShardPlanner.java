package dev.unlearning.operator.planning;

import dev.unlearning.api.ShardPlacement;
import dev.unlearning.api.ShardedModel;
import dev.unlearning.api.worker.TrainingResult;
import dev.unlearning.engine.sharding.Placement;
import dev.unlearning.engine.unlearning.Unlearning;
import dev.unlearning.store.IdDigestKey;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.IntStream;

/**
 * Which shards a request must retrain, from the request's ids and the model's placement alone: no data is read
 * before a pod starts. Where ids cannot tell (classes, URIs, digests; record ids in a model placed by subject,
 * whose record's subject only the data knows), every shard is planned; a pod whose shard holds none of the
 * records finishes without training, and finalization refuses a plan that missed a shard holding one.
 */
public final class ShardPlanner {

    private ShardPlanner() {
    }

    /**
     * @param recordIds the record ids a request names (directly or in a ConfigMap), or null
     * @param subjects the subject ids a request names, or null
     * @param key the namespace's id-digest key, which names oversized subjects in the model's status
     */
    public static List<Integer> affectedShards(ShardedModel model, List<String> recordIds, List<String> subjects,
            Supplier<IdDigestKey> key) {
        int shards = model.getSpec().getSharding().getShards();
        int slices = model.getSpec().getSharding().getSlices();
        long seed = model.getSpec().getTraining().getSeed();
        var status = model.getStatus();
        // A model trained before placement was recorded placed by record, whatever its spec says now.
        ShardPlacement placement = status == null || status.getPublished().getPlacement() == null ? ShardPlacement.BY_RECORD
                : status.getPublished().getPlacement();
        if (recordIds != null && placement == ShardPlacement.BY_RECORD) {
            return List.copyOf(Unlearning.affectedShards(recordIds, seed, shards, slices));
        }
        if (subjects != null && placement == ShardPlacement.BY_SUBJECT && status.getPublished().getSpreadSubjects() != null) {
            return List.copyOf(subjectShards(subjects, seed, shards, status.getPublished().getSpreadSubjects(), key));
        }
        return IntStream.range(0, shards).boxed().toList();
    }

    static TreeSet<Integer> subjectShards(List<String> subjects, long seed, int shards, Map<String, Integer> spread,
            Supplier<IdDigestKey> key) {
        TreeSet<Integer> out = new TreeSet<>();
        IdDigestKey digests = spread.isEmpty() ? null : key.get();
        for (String subject : subjects) {
            int home = Placement.homeShard(subject, seed, shards);
            int span = digests == null ? 1 : spread.getOrDefault(
                    digests.subject(subject).substring(0, TrainingResult.SUBJECT_PREFIX), 1);
            for (int i = 0; i < Math.min(span, shards); i++) {
                out.add((home + i) % shards);
            }
        }
        return out;
    }
}
