package dev.unlearning.engine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.unlearning.api.Aggregation;
import dev.unlearning.api.ArchitectureSpec;
import dev.unlearning.api.ArchitectureType;
import dev.unlearning.api.TrainingSpec;
import dev.unlearning.engine.EngineFixtures;
import dev.unlearning.engine.data.Splits;
import dev.unlearning.engine.evaluation.Ensemble;
import dev.unlearning.engine.sharding.ShardLayout;
import dev.unlearning.engine.training.ShardTrainer;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.assertj.core.data.Offset;

class ArchitecturesTest {

    final Splits data = EngineFixtures.fashion(600, 200);

    @Test
    void theCnnLearnsOnRealImages() throws Exception {
        ArchitectureSpec cnn = new ArchitectureSpec();
        cnn.setType(ArchitectureType.CNN);
        cnn.setHidden(List.of(8, 16));
        TrainingSpec training = new TrainingSpec();
        training.setEpochs(4);
        ShardLayout layout = ShardLayout.of(data.train(), 1, 1, 2, Set.of());

        var slices = new ShardTrainer(cnn, training).train(data.train(), layout, 0, 0, null);

        assertThat(slices).hasSize(2);
        assertThat(slices.get(1).meanLoss()).isLessThan(slices.get(0).meanLoss());
    }

    @Test
    void theCnnRefusesRecordsThatAreNotImages() {
        ArchitectureSpec cnn = new ArchitectureSpec();
        cnn.setType(ArchitectureType.CNN);
        assertThatThrownBy(() -> Architectures.build(cnn, new long[] {20}, 3))
                .hasMessageContaining("cnn needs image input");
    }

    @Test
    void aCheckpointOfAnotherShapeIsRejected() {
        ArchitectureSpec wide = new ArchitectureSpec();
        wide.setHidden(List.of(32));
        ArchitectureSpec narrow = new ArchitectureSpec();
        narrow.setHidden(List.of(16));
        try (Network trained = Network.create(wide, data.train().inputShape(), 10, 1)) {
            byte[] state = trained.state();
            assertThatThrownBy(() -> Network.fromState(narrow, data.train().inputShape(), 10, state))
                    .isInstanceOf(ModelState.CorruptModelException.class).hasMessageContaining("has shape");
        }
    }

    @Test
    void majorityVoteCountsShardVotes() throws Exception {
        ArchitectureSpec mlp = new ArchitectureSpec();
        mlp.setHidden(List.of(8));
        List<Network> shards = List.of(
                Network.create(mlp, data.train().inputShape(), 10, 1),
                Network.create(mlp, data.train().inputShape(), 10, 2),
                Network.create(mlp, data.train().inputShape(), 10, 3));
        try (Ensemble vote = new Ensemble(shards, Aggregation.MAJORITY_VOTE, 10, data.train().inputShape())) {
            float[][] p = vote.probabilities(data.test(), new int[] {0, 1, 2});
            for (float[] row : p) {
                float sum = 0;
                for (float share : row) {
                    assertThat(share * 3).as("a share of three votes").isCloseTo(Math.round(share * 3), org.assertj.core.data.Offset.offset(1e-5f));
                    sum += share;
                }
                assertThat(sum).isCloseTo(1f, Offset.offset(1e-5f));
            }
        }
    }
}
