package dev.unlearning.engine.training;

import dev.unlearning.engine.data.Dataset;
import dev.unlearning.engine.sharding.ShardLayout;
import dev.unlearning.store.Digests;
import dev.unlearning.store.ModelRepository;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The slice steps of one shard's training that have finished, kept in the run's staging area after every
 * step, so that a retried pod (killed, evicted, preempted) resumes after the last finished step instead of
 * starting over. Resuming is exact, not approximate: every step starts from the previous checkpoint with a
 * seed of its own (see {@link ShardTrainer}). Progress recorded against another layout is ignored. One
 * instance follows one shard of one run.
 */
public final class TrainingProgress {

    /** One finished step: the slice it added, that slice's membership, the checkpoint after it. */
    public record Step(int slice, String membershipDigest, String checkpointDigest, long samples, Double meanLoss) {
    }

    /** The staged record of a shard. */
    public record Record(int shard, List<Step> steps) {
    }

    private final ModelRepository repo;
    private final String run;
    private final List<Step> steps = new ArrayList<>();

    /** Follows a shard of the training run {@code run} (the run id the train role got, as staged). */
    public TrainingProgress(ModelRepository repo, String run) {
        this.repo = repo;
        this.run = run;
    }

    /** The finished steps to resume after (checkpoints loaded), or empty to start from scratch. */
    public List<ShardTrainer.SliceResult> finished(Dataset data, ShardLayout layout, int shard) throws IOException {
        Optional<Record> record = repo.stagedTrainingProgress(run, shard, Record.class);
        if (record.isEmpty()) {
            return List.of();
        }
        List<ShardTrainer.SliceResult> results = new ArrayList<>();
        for (Step step : record.get().steps()) {
            if (step.slice() != results.size() || step.slice() >= layout.slices()
                    || !step.membershipDigest().equals(membershipDigest(data, layout, shard, step.slice()))) {
                return List.of(); // recorded against other data or another layout: start over
            }
            results.add(new ShardTrainer.SliceResult(step.slice(), repo.blob(step.checkpointDigest()), step.samples(),
                    step.meanLoss() == null ? Double.NaN : step.meanLoss()));
        }
        steps.addAll(record.get().steps());
        return results;
    }

    /** Records one more finished step after those found or recorded before; its checkpoint is stored first. */
    public void record(Dataset data, ShardLayout layout, int shard, ShardTrainer.SliceResult finished)
            throws IOException {
        steps.add(new Step(finished.slice(), membershipDigest(data, layout, shard, finished.slice()),
                repo.putBlob(finished.checkpoint()), finished.samples(),
                Double.isNaN(finished.meanLoss()) ? null : finished.meanLoss()));
        repo.stageTrainingProgress(run, shard, new Record(shard, steps));
    }

    private static String membershipDigest(Dataset data, ShardLayout layout, int shard, int slice) {
        return Digests.sha256(ShardArtifacts.membershipBytes(data, layout.slice(shard, slice)));
    }
}
