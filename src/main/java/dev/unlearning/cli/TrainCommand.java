package dev.unlearning.cli;

import dev.unlearning.api.worker.WorkerInvocation;
import dev.unlearning.api.ShardedModel;
import dev.unlearning.api.worker.ExitCode;
import dev.unlearning.api.worker.TrainingResult;
import dev.unlearning.engine.TorchRuntime;
import dev.unlearning.engine.data.Splits;
import dev.unlearning.engine.training.ModelTraining;
import dev.unlearning.engine.training.TrainingResults;
import dev.unlearning.store.ModelRepository;
import dev.unlearning.store.ShardEntry;
import dev.unlearning.store.VersionManifest;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Trains a ShardedModel. Without --shard it trains every shard and publishes the next version; with --shard
 * (or JOB_COMPLETION_INDEX, as an Indexed Job sets it) it trains one shard into the staging area of --run,
 * for {@code publish} to assemble once every shard is done.
 */
@Command(name = WorkerInvocation.TRAIN, description = "Train all shards (and publish), or one shard into a staging run.")
public class TrainCommand implements Callable<Integer> {

    @Option(names = WorkerInvocation.MODEL, required = true, description = "ShardedModel YAML/JSON")
    Path model;

    @Option(names = "--store", description = "Store URI (default: spec.storage.uri)")
    String store;

    @Option(names = "--shard", description = "Train only this shard (default: $JOB_COMPLETION_INDEX if set)")
    Integer shard;

    @Option(names = WorkerInvocation.RUN, description = "Staging run id, required with --shard")
    String run;

    @Option(names = "--output", description = "Result JSON file (default: stdout)")
    Path output;

    @Option(names = WorkerInvocation.LEDGER, description = "ForgetLedger YAML of the dataset: its records are left out and tombstoned")
    Path ledger;

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
            training.withLedger(RoleIo.ledgerForgets(ledger, splits, training.dataDigest(splits.train())));
            TrainingResult result;
            if (index == null) {
                result = TrainingResults.published(training.trainAll(splits.train()), null, seconds(started));
            } else {
                // A retried pod of the same run resumes after the slices its predecessor finished.
                ShardEntry entry = training.trainStagedShard(splits.train(), index, run);
                result = TrainingResults.staged(repo.model(), run, entry, seconds(started));
            }
            RoleIo.writeResult(output, result);
            return ExitCode.OK;
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
    @Command(name = WorkerInvocation.PUBLISH, description = "Publish a version from the shards a training run staged.")
    public static class Publish implements Callable<Integer> {

        @Option(names = WorkerInvocation.MODEL, required = true)
        Path model;

        @Option(names = "--store")
        String store;

        @Option(names = WorkerInvocation.RUN, required = true)
        String run;

        @Option(names = "--output")
        Path output;

        @Override
        public Integer call() {
            return RoleIo.run("publish", () -> {
                long started = System.nanoTime();
                ShardedModel cr = RoleIo.readModel(model);
                ModelRepository repo = RoleIo.repository(cr, store);
                VersionManifest version = new ModelTraining(repo, cr.getSpec()).publishStaged(run);
                RoleIo.writeResult(output, TrainingResults.published(version, run, seconds(started)));
                return ExitCode.OK;
            });
        }
    }
}
