package dev.unlearning.engine.verification;

import static dev.unlearning.engine.EngineFixtures.records;
import static org.assertj.core.api.Assertions.assertThat;

import dev.unlearning.api.GateDefaults;
import dev.unlearning.api.ShardedModelSpec;
import dev.unlearning.api.UnlearningMethod;
import dev.unlearning.api.VerificationSpec;
import dev.unlearning.api.worker.FinalizeResult;
import dev.unlearning.api.worker.GateFailure;
import dev.unlearning.api.Metric;
import dev.unlearning.api.Threshold;
import dev.unlearning.engine.EngineFixtures;
import dev.unlearning.engine.data.Splits;
import dev.unlearning.engine.training.ModelTraining;
import dev.unlearning.engine.unlearning.ApproximateSettings;
import dev.unlearning.engine.unlearning.Finalization;
import dev.unlearning.engine.unlearning.ForgetSet;
import dev.unlearning.engine.unlearning.Unlearning;
import dev.unlearning.operator.planning.Gates;
import dev.unlearning.store.FileBlobStore;
import dev.unlearning.store.ModelRepository;
import dev.unlearning.store.VersionManifest;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gate a model gets when its spec sets no threshold, on a real model that memorised its training records:
 * a candidate that still holds the forget set fails it, naming the relative checks; an exact retrain passes.
 */
class RelativeGateDefaultsTest {

    @TempDir
    Path store;

    @Test
    void aCandidateThatStillHoldsTheForgetSetFailsTheDefaultsAndAnExactRetrainPasses() throws Exception {
        Fixture f = Fixture.memorising(store);
        ForgetSet forget = ForgetSet.resolve(records(IntStream.range(0, 300).mapToObj(i -> "train-" + (i * 3)).toList()),
                f.data.train());

        FinalizeResult unchanged = f.finalizeUnchanged("nothing", forget);
        assertThat(unchanged.published()).isFalse();
        assertThat(unchanged.gateFailures()).filteredOn(failure -> !failure.baseAlreadyPassed())
                .extracting(GateFailure::threshold)
                .as("the memorised records are known better than look-alikes: %s", unchanged.metricsAfter())
                .contains(Threshold.MAX_FORGET_ACCURACY_GAP).doesNotContain(Threshold.MAX_TEST_ACCURACY_DROP);
        assertThat(f.repo.versions()).containsExactly(1);

        FinalizeResult exact = f.finalizeExact("exact", forget);
        assertThat(exact.gateFailures()).as("%s", exact.metricsAfter()).isEmpty();
        assertThat(exact.published()).isTrue();
        var after = exact.metricsAfter();
        assertThat(after.get(Metric.FORGET_ACCURACY_GAP))
                .isLessThan(unchanged.metricsAfter().get(Metric.FORGET_ACCURACY_GAP) - 0.05);
        assertThat(after.get(Metric.FORGET_ACCURACY_GAP_NOISE)).as("300 records: a few points, not a free pass")
                .isBetween(0.01, 0.1);
        assertThat(after.get(Metric.TEST_ACCURACY_DROP)).isEqualTo(
                exact.metricsBefore().get(Metric.TEST_ACCURACY) - after.get(Metric.TEST_ACCURACY));
    }

    @Test
    void aForgetSetTooSmallToShowForgettingFailsAnApproximateCandidateButNotAnExactOne() throws Exception {
        Fixture f = Fixture.memorising(store);
        ForgetSet forget = ForgetSet.resolve(records(List.of("train-1", "train-2", "train-3")), f.data.train());

        FinalizeResult unchanged = f.finalizeUnchanged("nothing", forget);
        assertThat(unchanged.published()).isFalse();
        assertThat(unchanged.gateFailures()).as("%s", unchanged.metricsBefore()).isNotEmpty()
                .allSatisfy(failure -> assertThat(failure.baseAlreadyPassed()).isTrue())
                .extracting(GateFailure::threshold)
                .containsExactly(Threshold.MAX_FORGET_ACCURACY_GAP, Threshold.MAX_MIA_ADVANTAGE);

        FinalizeResult exact = f.finalizeExact("exact", forget);
        assertThat(exact.gateFailures()).as("%s", exact.metricsAfter()).isEmpty();
        assertThat(exact.published()).isTrue();
    }

    /** Two shards of 500 records trained 40 epochs, so they memorise; the gate as the operator resolves it. */
    private record Fixture(Splits data, ShardedModelSpec spec, ModelRepository repo, VerificationSpec gate) {

        static Fixture memorising(Path store) throws Exception {
            Splits data = EngineFixtures.fashion(1000, 2000);
            ShardedModelSpec spec = EngineFixtures.spec(2, 1, 40, store);
            ModelRepository repo = new ModelRepository(new FileBlobStore(store), "relative")
                    .withIdKey(EngineFixtures.ID_KEY);
            new ModelTraining(repo, spec).trainAll(data.train());
            VerificationSpec gate = Gates.merge(new VerificationSpec(), List.of());
            assertThat(gate.getDefaults()).isEqualTo(GateDefaults.RELATIVE);
            return new Fixture(data, spec, repo, gate);
        }

        /** An approximate "forget" that changed nothing: the base version's own shards, staged as a candidate. */
        FinalizeResult finalizeUnchanged(String run, ForgetSet forget) throws Exception {
            VersionManifest base = repo.version(1);
            for (var shard : base.shards()) {
                repo.stageUnlearnedShard(run, shard.shard(), shard);
            }
            return new Finalization(repo).run(data, forget, new Finalization.Run(run, 1, UnlearningMethod.FINE_TUNE,
                    List.of(0, 1), List.of("r"), gate, List.of()));
        }

        FinalizeResult finalizeExact(String run, ForgetSet forget) throws Exception {
            Unlearning unlearning = new Unlearning(repo, spec, ApproximateSettings.defaults());
            for (int shard : List.of(0, 1)) {
                unlearning.stageShard(data, forget, UnlearningMethod.EXACT, List.of("r"), run, shard, 1);
            }
            return new Finalization(repo).run(data, forget, new Finalization.Run(run, 1, UnlearningMethod.EXACT,
                    List.of(0, 1), List.of("r"), gate, List.of()));
        }
    }
}
