package dev.unlearning.store;

import static dev.unlearning.engine.EngineFixtures.records;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.unlearning.api.ShardedModelSpec;
import dev.unlearning.api.UnlearningMethod;
import dev.unlearning.engine.EngineFixtures;
import dev.unlearning.engine.data.Splits;
import dev.unlearning.engine.training.ModelTraining;
import dev.unlearning.engine.unlearning.ApproximateSettings;
import dev.unlearning.engine.unlearning.ForgetSet;
import dev.unlearning.engine.unlearning.Unlearning;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A version is visible only when complete; failures and races leave the previous one in place. */
class AtomicPublishTest {

    @TempDir
    Path dir;

    final Splits data = EngineFixtures.fashion(900, 200);

    @ParameterizedTest(name = "training fails on store write {0}")
    @ValueSource(ints = {1, 5, 13})
    void aTrainingThatDiesMidwayPublishesNothing(int failOnWrite) throws Exception {
        ShardedModelSpec spec = EngineFixtures.spec(2, 3, 1, dir);
        ModelRepository failing = new ModelRepository(new FailingBlobStore(new FileBlobStore(dir), failOnWrite), "m").withIdKey(EngineFixtures.ID_KEY);

        assertThatThrownBy(() -> new ModelTraining(failing, spec).trainAll(data.train()))
                .isInstanceOf(IOException.class).hasMessageContaining("injected failure");

        ModelRepository clean = new ModelRepository(new FileBlobStore(dir), "m").withIdKey(EngineFixtures.ID_KEY);
        assertThat(clean.versions()).isEmpty();
        assertThat(clean.latest()).isEmpty();
    }

    @Test
    void anUnlearningThatDiesOnItsLastWriteKeepsThePreviousVersion() throws Exception {
        ShardedModelSpec spec = EngineFixtures.spec(2, 2, 1, dir);
        ModelRepository clean = new ModelRepository(new FileBlobStore(dir), "m").withIdKey(EngineFixtures.ID_KEY);
        VersionManifest v1 = new ModelTraining(clean, spec).trainAll(data.train());
        // Count the writes of a successful run on a copy, then fail exactly on the last one: the manifest.
        int writes = countWritesOfAnUnlearning(spec);
        ModelRepository failing = new ModelRepository(new FailingBlobStore(new FileBlobStore(dir), writes), "m").withIdKey(EngineFixtures.ID_KEY);

        assertThatThrownBy(() -> new Unlearning(failing, spec, ApproximateSettings.defaults()).run(data,
                ForgetSet.resolve(records(List.of("train-10")), data.train()), UnlearningMethod.EXACT, List.of("r")))
                .hasMessageContaining("injected failure").hasMessageContaining("versions/2.json");

        assertThat(clean.versions()).containsExactly(1);
        assertThat(clean.latest().orElseThrow()).isEqualTo(v1);
    }

    @Test
    void aPublishedVersionIsNeverOverwritten() throws Exception {
        ShardedModelSpec spec = EngineFixtures.spec(1, 1, 1, dir);
        ModelRepository repo = new ModelRepository(new FileBlobStore(dir), "m").withIdKey(EngineFixtures.ID_KEY);
        VersionManifest v1 = new ModelTraining(repo, spec).trainAll(data.train());
        VersionManifest rival = new VersionManifest("m", 1, null, "now", v1.layout(),
                List.copyOf(EngineFixtures.ID_KEY.records(List.of("train-1"))), EngineFixtures.ID_KEY.id(), v1.shards(),
                "train", List.of());

        assertThatThrownBy(() -> repo.publish(rival)).isInstanceOf(ModelRepository.VersionConflictException.class);
        assertThat(repo.version(1)).isEqualTo(v1);
    }

    @Test
    void aCorruptBlobIsDetectedOnRead() throws Exception {
        ShardedModelSpec spec = EngineFixtures.spec(1, 1, 1, dir);
        ModelRepository repo = new ModelRepository(new FileBlobStore(dir), "m").withIdKey(EngineFixtures.ID_KEY);
        VersionManifest v1 = new ModelTraining(repo, spec).trainAll(data.train());
        String digest = v1.shards().get(0).modelDigest();
        Path blob = dir.resolve("models/m/blobs/" + digest);
        byte[] bytes = Files.readAllBytes(blob);
        bytes[bytes.length - 1] ^= 1;
        Files.write(blob, bytes);

        assertThatThrownBy(() -> repo.blob(digest)).isInstanceOf(CorruptArtifactException.class)
                .hasMessageContaining("corrupt");
    }

    private int countWritesOfAnUnlearning(ShardedModelSpec spec) throws Exception {
        Path copy = Files.createTempDirectory("count");
        ModelRepository repo = new ModelRepository(new FileBlobStore(copy), "m").withIdKey(EngineFixtures.ID_KEY);
        new ModelTraining(repo, spec).trainAll(data.train());
        FailingBlobStore counting = new FailingBlobStore(new FileBlobStore(copy), Integer.MAX_VALUE);
        new Unlearning(new ModelRepository(counting, "m").withIdKey(EngineFixtures.ID_KEY), spec, ApproximateSettings.defaults()).run(data,
                ForgetSet.resolve(records(List.of("train-10")), data.train()), UnlearningMethod.EXACT, List.of("r"));
        return counting.writes();
    }
}
