package dev.unlearning.cli;

import dev.unlearning.api.ShardedModel;
import dev.unlearning.engine.TorchRuntime;
import dev.unlearning.engine.data.Splits;
import dev.unlearning.engine.sharding.ShardLayout;
import dev.unlearning.engine.training.ModelTraining;
import dev.unlearning.engine.training.TrainingProgress;
import dev.unlearning.store.ModelLayout;
import dev.unlearning.store.ModelRepository;
import dev.unlearning.store.ShardEntry;
import dev.unlearning.store.VersionManifest;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Trains a ShardedModel. Without --shard it trains every shard and publishes the next version; with --shard
 * (or JOB_COMPLETION_INDEX, as an Indexed Job sets it) it trains one shard into the staging area of --run,
 * for {@code publish} to assemble once every shard is done.
 */
@Command(name = "train", description = "Train all shards (and publish), or one shard into a staging run.")
public class TrainCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, description = "ShardedModel YAML/JSON")
    Path model;

    @Option(names = "--store", description = "Store URI (default: spec.storage.uri)")
    String store;

    @Option(names = "--shard", description = "Train only this shard (default: $JOB_COMPLETION_INDEX if set)")
    Integer shard;

    @Option(names = "--run", description = "Staging run id, required with --shard")
    String run;

    @Option(names = "--output", description = "Result JSON file (default: stdout)")
    Path output;

    /** The JSON result of a training role. */
    public record Result(String model, Integer version, String run, List<ShardSummary> shards, double wallSeconds,
            String ensembleDigest) {
    }

    /** One trained shard, as the result reports it. */
    public record ShardSummary(int shard, int records, long samples, double trainLoss, Double testAccuracy,
            String modelDigest) {
        static ShardSummary of(ShardEntry e) {
            return new ShardSummary(e.shard(), e.records(), e.samplesProcessed(), e.trainLoss(), e.testAccuracy(),
                    e.modelDigest());
        }
    }

    @Override
    public Integer call() {
        return RoleIo.run("train", () -> {
            long started = System.nanoTime();
            ShardedModel cr = RoleIo.readModel(model);
            ModelRepository repo = RoleIo.repository(cr, store);
            Integer index = shard != null ? shard : jobCompletionIndex();
            int shards = cr.getSpec().getSharding().getShards();
            if (index != null && (index < 0 || index >= shards)) {
                throw new IllegalArgumentException("shard " + index + " outside 0.." + (shards - 1));
            }
            if (index != null && (run == null || run.isBlank())) {
                throw new IllegalArgumentException("--run is required when training one shard");
            }
            TorchRuntime.engine();
            Splits splits = RoleIo.data(cr);
            ModelTraining training = new ModelTraining(repo, cr.getSpec()).withTestSet(splits.test());
            Result result;
            if (index == null) {
                VersionManifest v = training.trainAll(splits.train());
                result = new Result(repo.model(), v.version(), null,
                        v.shards().stream().map(ShardSummary::of).toList(), seconds(started), v.ensembleDigest());
            } else {
                ShardLayout layout = training.layout(splits.train());
                int version = repo.latest().map(v -> v.version() + 1).orElse(1);
                // A retried pod of the same run resumes after the slices its predecessor finished.
                ShardEntry entry = training.trainShard(splits.train(), layout, index, version,
                        new TrainingProgress(repo, "train-" + run));
                repo.putStaging("train-" + run, "layout.json", training.layoutOf(splits.train()));
                repo.putStaging("train-" + run, "shard-" + index + ".json", entry);
                result = new Result(repo.model(), null, run, List.of(ShardSummary.of(entry)), seconds(started), null);
            }
            RoleIo.writeResult(output, result);
            return ExitCodes.OK;
        });
    }

    static Integer jobCompletionIndex() {
        String value = System.getenv("JOB_COMPLETION_INDEX");
        return value == null || value.isBlank() ? null : Integer.valueOf(value.trim());
    }

    static double seconds(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1e9;
    }

    /** Assembles staged shard results of a training run into the next version. */
    @Command(name = "publish", description = "Publish a version from the shards a training run staged.")
    public static class Publish implements Callable<Integer> {

        @Option(names = "--model", required = true)
        Path model;

        @Option(names = "--store")
        String store;

        @Option(names = "--run", required = true)
        String run;

        @Option(names = "--output")
        Path output;

        @Override
        public Integer call() {
            return RoleIo.run("publish", () -> {
                long started = System.nanoTime();
                ShardedModel cr = RoleIo.readModel(model);
                ModelRepository repo = RoleIo.repository(cr, store);
                String staging = "train-" + run;
                ModelLayout layout = repo.staging(staging, "layout.json", ModelLayout.class).orElseThrow(() ->
                        new dev.unlearning.store.CorruptArtifactException("run " + run + " staged no shard"));
                List<ShardEntry> entries = new java.util.ArrayList<>();
                for (int s = 0; s < layout.shards(); s++) {
                    int shardIndex = s;
                    entries.add(repo.staging(staging, "shard-" + s + ".json", ShardEntry.class).orElseThrow(() ->
                            new dev.unlearning.store.CorruptArtifactException("run " + run + " has no result for shard "
                                    + shardIndex + "; nothing was published")));
                }
                var previous = repo.latest();
                int version = previous.map(v -> v.version() + 1).orElse(1);
                VersionManifest manifest = new VersionManifest(repo.model(), version,
                        previous.map(VersionManifest::version).orElse(null), java.time.Instant.now().toString(), layout,
                        previous.map(VersionManifest::tombstones).orElse(List.of()), entries, "train", List.of());
                repo.publish(manifest);
                RoleIo.writeResult(output, new Result(repo.model(), version, run,
                        entries.stream().map(ShardSummary::of).toList(), seconds(started), manifest.ensembleDigest()));
                return ExitCodes.OK;
            });
        }
    }
}
