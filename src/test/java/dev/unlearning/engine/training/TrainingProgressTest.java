package dev.unlearning.engine.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.unlearning.api.ShardedModelSpec;
import dev.unlearning.engine.EngineFixtures;
import dev.unlearning.engine.data.Splits;
import dev.unlearning.engine.sharding.ShardLayout;
import dev.unlearning.store.BlobStore;
import dev.unlearning.store.FileBlobStore;
import dev.unlearning.store.ModelRepository;
import dev.unlearning.store.ShardEntry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A shard's training killed midway resumes after its last recorded slice and ends bit-identical. */
class TrainingProgressTest {

    @Test
    void aRetriedShardResumesAfterTheLastRecordedSliceWithTheSameResult(@TempDir Path dir) throws Exception {
        Splits data = EngineFixtures.fashion(3000, 300);
        ShardedModelSpec spec = EngineFixtures.spec(1, 3, 1, dir);

        ModelRepository reference = new ModelRepository(new FileBlobStore(dir.resolve("reference")), "m");
        ModelTraining uninterrupted = new ModelTraining(reference, spec).withTestSet(data.test());
        ShardLayout layout = uninterrupted.layout(data.train());
        ShardEntry expected = uninterrupted.trainShard(data.train(), layout, 0, 1, new TrainingProgress(reference, "train-r"));

        // The store refuses the second progress record: the pod dies after finishing slice 0.
        ProgressWrites store = new ProgressWrites(new FileBlobStore(dir.resolve("retried")), 2);
        ModelRepository repo = new ModelRepository(store, "m");
        ModelTraining training = new ModelTraining(repo, spec).withTestSet(data.test());
        assertThatThrownBy(() -> training.trainShard(data.train(), layout, 0, 1, new TrainingProgress(repo, "train-r")))
                .hasMessageContaining("injected");

        store.reset();
        ShardEntry resumed = training.trainShard(data.train(), layout, 0, 1, new TrainingProgress(repo, "train-r"));
        assertThat(store.progressWrites()).as("slices 1 and 2 only: slice 0 was not trained again").isEqualTo(2);
        assertThat(resumed.slices()).as("same memberships and checkpoints as without the crash").isEqualTo(expected.slices());
        assertThat(resumed.modelDigest()).isEqualTo(expected.modelDigest());
        assertThat(resumed.samplesProcessed()).isEqualTo(expected.samplesProcessed());

        ShardEntry otherRun = training.trainShard(data.train(), layout, 0, 1, new TrainingProgress(repo, "train-other"));
        assertThat(store.progressWrites()).as("another run starts from scratch").isEqualTo(2 + 3);
        assertThat(otherRun.slices()).isEqualTo(expected.slices());
    }

    /** Counts progress records written and fails the n-th one, as a pod killed at that moment would. */
    static final class ProgressWrites implements BlobStore {
        private final BlobStore delegate;
        private int failAt;
        private int writes;

        ProgressWrites(BlobStore delegate, int failAt) {
            this.delegate = delegate;
            this.failAt = failAt;
        }

        void reset() {
            failAt = 0;
            writes = 0;
        }

        int progressWrites() {
            return writes;
        }

        @Override
        public void put(String key, byte[] data) throws IOException {
            if (key.endsWith(".progress.json") && ++writes == failAt) {
                throw new IOException("injected failure writing " + key);
            }
            delegate.put(key, data);
        }

        @Override
        public boolean putIfAbsent(String key, byte[] data) throws IOException {
            return delegate.putIfAbsent(key, data);
        }

        @Override
        public Optional<byte[]> get(String key) throws IOException {
            return delegate.get(key);
        }

        @Override
        public boolean exists(String key) throws IOException {
            return delegate.exists(key);
        }

        @Override
        public List<String> list(String prefix) throws IOException {
            return delegate.list(prefix);
        }

        @Override
        public void delete(String key) throws IOException {
            delegate.delete(key);
        }

        @Override
        public String describe() {
            return "progress-counting " + delegate.describe();
        }
    }
}
