package dev.unlearning.engine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.unlearning.api.Aggregation;
import dev.unlearning.api.ArchitectureSpec;
import dev.unlearning.api.ArchitectureType;
import dev.unlearning.engine.EngineFixtures;
import dev.unlearning.engine.data.Dataset;
import dev.unlearning.engine.data.Splits;
import dev.unlearning.engine.evaluation.Ensemble;
import dev.unlearning.engine.training.ModelTraining;
import dev.unlearning.store.FileBlobStore;
import dev.unlearning.store.ModelRepository;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The fused ensemble must answer as the shards do one by one: same probabilities to float rounding, same class. */
class FusedEnsembleTest {

    final Splits data = EngineFixtures.fashion(800, 300);

    @ParameterizedTest
    @EnumSource(Aggregation.class)
    void aTrainedSixteenShardMlpAnswersAsItsShardsDo(Aggregation aggregation, @TempDir Path store) throws Exception {
        var spec = EngineFixtures.spec(16, 2, 1, store);
        spec.getSharding().setAggregation(aggregation);
        ModelRepository repo = new ModelRepository(new FileBlobStore(store.resolve("repo")), "fused")
                .withIdKey(EngineFixtures.ID_KEY);
        var version = new ModelTraining(repo, spec).trainAll(data.train());
        try (Ensemble ensemble = Ensemble.load(repo, version)) {
            assertAgree(ensemble, data.test(), 300);
        }
    }

    @ParameterizedTest
    @EnumSource(Aggregation.class)
    void cnnShardsAnswerAsOneGroupedComputation(Aggregation aggregation) {
        ArchitectureSpec cnn = new ArchitectureSpec();
        cnn.setType(ArchitectureType.CNN);
        cnn.setHidden(List.of(4, 6));
        try (Ensemble ensemble = new Ensemble(networks(cnn, 5), aggregation, 10, data.train().inputShape())) {
            assertAgree(ensemble, data.test(), 64);
        }
    }

    @Test
    void mlpsOfAnyDepthFuse() {
        for (List<Integer> hidden : List.of(List.<Integer>of(), List.of(12), List.of(20, 10, 6))) {
            ArchitectureSpec mlp = new ArchitectureSpec();
            mlp.setHidden(hidden);
            try (Ensemble ensemble = new Ensemble(networks(mlp, 3), Aggregation.MEAN_SOFTMAX, 10, data.train().inputShape())) {
                assertAgree(ensemble, data.test(), 50);
            }
        }
    }

    @Test
    void shardsOfDifferentArchitecturesAreRefused() {
        ArchitectureSpec a = new ArchitectureSpec();
        a.setHidden(List.of(8));
        ArchitectureSpec b = new ArchitectureSpec();
        b.setHidden(List.of(9));
        List<Network> mixed = List.of(Network.create(a, data.train().inputShape(), 10, 1),
                Network.create(b, data.train().inputShape(), 10, 2));
        try {
            assertThatThrownBy(() -> FusedEnsemble.of(mixed, data.train().inputShape()))
                    .hasMessageContaining("one architecture");
        } finally {
            mixed.forEach(Network::close);
        }
    }

    @Test
    void aCnnChunkKeepsItsWidestActivationWithinBudget() {
        ArchitectureSpec cnn = new ArchitectureSpec();
        cnn.setType(ArchitectureType.CNN);
        List<Network> shards = networks(cnn, 16);
        try (FusedEnsemble fused = FusedEnsemble.of(shards, data.train().inputShape())) {
            // 16 shards x 32 channels x 28 x 28 floats is 1.6 MB a record: a 1000-record chunk would be 1.6 GB.
            assertThat(fused.recordsPerChunk()).isBetween(1, 200);
            assertThat(fused.shards()).isEqualTo(16);
        } finally {
            shards.forEach(Network::close);
        }
    }

    private List<Network> networks(ArchitectureSpec spec, int count) {
        List<Network> networks = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            networks.add(Network.create(spec, data.train().inputShape(), 10, 100 + i));
        }
        return networks;
    }

    private static void assertAgree(Ensemble ensemble, Dataset test, int records) {
        float[] flat = new float[records * 784];
        for (int i = 0; i < records; i++) {
            test.features().copyRow(i, flat, i * 784);
        }
        long[] shape = test.inputShape();
        float[] fused = ensemble.probabilities(flat, shape, records);
        float[] reference = ensemble.probabilitiesPerShard(flat, shape, records);
        assertThat(fused).hasSameSizeAs(reference);
        int decided = 0;
        for (int r = 0; r < records; r++) {
            int classes = ensemble.classes();
            for (int c = 0; c < classes; c++) {
                assertThat(fused[r * classes + c]).as("record %d class %d", r, c)
                        .isCloseTo(reference[r * classes + c], org.assertj.core.data.Offset.offset(1e-5f));
            }
            // Same predicted class wherever the reference's top two are not tied within rounding.
            if (margin(reference, r, classes) > 1e-5f) {
                assertThat(argMax(fused, r, classes)).as("record %d", r).isEqualTo(argMax(reference, r, classes));
                decided++;
            }
        }
        assertThat(decided).as("records with a clear winner").isGreaterThan(records / 2);
    }

    private static int argMax(float[] p, int row, int classes) {
        int best = 0;
        for (int c = 1; c < classes; c++) {
            if (p[row * classes + c] > p[row * classes + best]) {
                best = c;
            }
        }
        return best;
    }

    private static float margin(float[] p, int row, int classes) {
        float first = -1;
        float second = -1;
        for (int c = 0; c < classes; c++) {
            float v = p[row * classes + c];
            if (v > first) {
                second = first;
                first = v;
            } else if (v > second) {
                second = v;
            }
        }
        return first - second;
    }
}
