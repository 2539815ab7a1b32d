package dev.unlearning.engine.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.unlearning.api.ShardedModelSpec;
import dev.unlearning.engine.EngineFixtures;
import dev.unlearning.engine.data.Splits;
import dev.unlearning.engine.sharding.ShardLayout;
import dev.unlearning.store.FailingBlobStore;
import dev.unlearning.store.FileBlobStore;
import dev.unlearning.store.ModelRepository;
import dev.unlearning.store.ShardEntry;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import java.util.function.Predicate;

/** A shard's training killed midway resumes after its last recorded slice and ends bit-identical. */
class TrainingProgressTest {

    static final Predicate<String> PROGRESS = key -> key.endsWith(".progress.json");

    @Test
    void aRetriedShardResumesAfterTheLastRecordedSliceWithTheSameResult(@TempDir Path dir) throws Exception {
        Splits data = EngineFixtures.fashion(3000, 300);
        ShardedModelSpec spec = EngineFixtures.spec(1, 3, 1, dir);

        ModelRepository reference = new ModelRepository(new FileBlobStore(dir.resolve("reference")), "m").withIdKey(EngineFixtures.ID_KEY);
        ModelTraining uninterrupted = new ModelTraining(reference, spec).withTestSet(data.test());
        ShardLayout layout = uninterrupted.layout(data.train());
        ShardEntry expected = uninterrupted.trainShard(data.train(), layout, 0, 1, new TrainingProgress(reference, "r"));

        // The store refuses the second progress record: the pod dies after finishing slice 0.
        FileBlobStore files = new FileBlobStore(dir.resolve("retried"));
        ModelRepository crashing = new ModelRepository(new FailingBlobStore(files, 2, PROGRESS), "m").withIdKey(EngineFixtures.ID_KEY);
        assertThatThrownBy(() -> new ModelTraining(crashing, spec).withTestSet(data.test())
                .trainShard(data.train(), layout, 0, 1, new TrainingProgress(crashing, "r")))
                .hasMessageContaining("injected");

        FailingBlobStore store = new FailingBlobStore(files, 0, PROGRESS);
        ModelRepository repo = new ModelRepository(store, "m").withIdKey(EngineFixtures.ID_KEY);
        ModelTraining training = new ModelTraining(repo, spec).withTestSet(data.test());
        ShardEntry resumed = training.trainShard(data.train(), layout, 0, 1, new TrainingProgress(repo, "r"));
        assertThat(store.writes()).as("slices 1 and 2 only: slice 0 was not trained again").isEqualTo(2);
        assertThat(resumed.slices()).as("same memberships and checkpoints as without the crash").isEqualTo(expected.slices());
        assertThat(resumed.modelDigest()).isEqualTo(expected.modelDigest());
        assertThat(resumed.samplesProcessed()).isEqualTo(expected.samplesProcessed());

        ShardEntry otherRun = training.trainShard(data.train(), layout, 0, 1, new TrainingProgress(repo, "other"));
        assertThat(store.writes()).as("another run starts from scratch").isEqualTo(2 + 3);
        assertThat(otherRun.slices()).isEqualTo(expected.slices());
    }
}
