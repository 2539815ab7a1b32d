package dev.unlearning.engine.evaluation;

import static dev.unlearning.engine.EngineFixtures.records;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.unlearning.api.Aggregation;
import dev.unlearning.api.ShardedModelSpec;
import dev.unlearning.api.UnlearningMethod;
import dev.unlearning.engine.EngineFixtures;
import dev.unlearning.engine.data.Splits;
import dev.unlearning.engine.training.ModelTraining;
import dev.unlearning.engine.unlearning.ApproximateSettings;
import dev.unlearning.engine.unlearning.ForgetSet;
import dev.unlearning.engine.unlearning.Unlearning;
import dev.unlearning.engine.unlearning.UnlearningOutcome;
import dev.unlearning.store.FileBlobStore;
import dev.unlearning.store.ModelRepository;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A candidate version scores only its changed shards when its base already ran on the same rows. */
class ShardScoresTest {

    static final int SHARDS = 4;

    @TempDir
    Path store;

    @Test
    void theCandidateRunsOnlyItsChangedShardsAndAgreesWithScoringFromScratch() throws Exception {
        for (Aggregation aggregation : List.of(Aggregation.MEAN_SOFTMAX, Aggregation.MAJORITY_VOTE)) {
            Splits data = EngineFixtures.fashion(1200, 300);
            ShardedModelSpec spec = EngineFixtures.spec(SHARDS, 2, 1, store.resolve(aggregation.name()));
            spec.getSharding().setAggregation(aggregation);
            ModelRepository repo = new ModelRepository(new FileBlobStore(store.resolve(aggregation.name())), "m")
                    .withIdKey(EngineFixtures.ID_KEY);
            new ModelTraining(repo, spec).trainAll(data.train());
            UnlearningOutcome outcome = new Unlearning(repo, spec, ApproximateSettings.defaults()).run(data,
                    ForgetSet.resolve(records(List.of("train-3")), data.train()), UnlearningMethod.EXACT, List.of("r"));
            int changed = outcome.affectedShards().size();
            assertThat(changed).isBetween(1, SHARDS - 1);
            int[] rows = IntStream.range(0, data.test().size()).toArray();

            ShardScores scores = new ShardScores();
            try (Ensemble base = Ensemble.load(repo, outcome.before(), scores);
                    Ensemble alone = Ensemble.load(repo, outcome.before())) {
                assertSame(base.probabilities(data.test(), rows), alone.probabilities(data.test(), rows));
            }
            assertThat(scores.size()).isEqualTo(SHARDS * rows.length);
            try (Ensemble candidate = Ensemble.load(repo, outcome.after(), scores);
                    Ensemble alone = Ensemble.load(repo, outcome.after())) {
                assertSame(candidate.probabilities(data.test(), rows), alone.probabilities(data.test(), rows));
            }
            assertThat(scores.size()).as("%s: only the %d changed shard(s) ran again", aggregation, changed)
                    .isEqualTo((SHARDS + changed) * rows.length);
        }
    }

    private static void assertSame(float[][] shared, float[][] alone) {
        assertThat(shared).hasSameDimensionsAs(alone);
        for (int i = 0; i < shared.length; i++) {
            for (int c = 0; c < shared[i].length; c++) {
                assertThat(shared[i][c]).as("row %d class %d", i, c).isCloseTo(alone[i][c], within(1e-5f));
            }
        }
    }
}
