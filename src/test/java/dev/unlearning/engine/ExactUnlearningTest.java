package dev.unlearning.engine;

import static dev.unlearning.engine.EngineFixtures.records;
import static org.assertj.core.api.Assertions.assertThat;

import dev.unlearning.api.ShardedModelSpec;
import dev.unlearning.api.UnlearningMethod;
import dev.unlearning.engine.data.Splits;
import dev.unlearning.engine.sharding.ShardLayout;
import dev.unlearning.engine.training.ModelTraining;
import dev.unlearning.engine.training.ShardArtifacts;
import dev.unlearning.engine.training.ShardTrainer;
import dev.unlearning.engine.unlearning.ApproximateSettings;
import dev.unlearning.engine.unlearning.Finalization;
import dev.unlearning.engine.unlearning.ForgetSet;
import dev.unlearning.engine.unlearning.Unlearning;
import dev.unlearning.engine.unlearning.UnlearningOutcome;
import dev.unlearning.store.Digests;
import dev.unlearning.store.FileBlobStore;
import dev.unlearning.store.ModelRepository;
import dev.unlearning.store.ShardEntry;
import dev.unlearning.store.VersionManifest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SISA exact unlearning on real Fashion-MNIST records. */
class ExactUnlearningTest {

    static final int SHARDS = 3;
    static final int SLICES = 3;

    @TempDir
    Path store;

    @Test
    void anExactCandidateWhoseShardsStillHoldTheRecordsIsNeverPublished() throws Exception {
        Splits data = EngineFixtures.fashion(600, 200);
        ShardedModelSpec spec = EngineFixtures.spec(2, 2, 1, store);
        ModelRepository repo = new ModelRepository(new FileBlobStore(store), "skipped").withIdKey(EngineFixtures.ID_KEY);
        VersionManifest base = new ModelTraining(repo, spec).trainAll(data.train());
        ForgetSet forget = ForgetSet.resolve(records(List.of("train-5", "train-77")), data.train());
        List<Integer> shards = List.copyOf(Unlearning.affectedShards(List.of("train-5", "train-77"),
                spec.getTraining().getSeed(), 2, 2));
        var gate = new dev.unlearning.api.VerificationSpec();

        // Pods that claimed an exact retrain but staged the shards as they were.
        for (int shard : shards) {
            repo.stageUnlearnedShard("skipped", shard, base.shards().get(shard));
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Finalization(repo).run(data, forget,
                new Finalization.Run("skipped", 1, UnlearningMethod.EXACT, shards, List.of("r"), gate, List.of())))
                .isInstanceOf(dev.unlearning.store.CorruptArtifactException.class)
                .hasMessageContaining("tombstoned record(s): an exact version holds none");
        assertThat(repo.versions()).as("nothing published").containsExactly(1);

        Unlearning unlearning = new Unlearning(repo, spec, ApproximateSettings.defaults());
        for (int shard : shards) {
            unlearning.stageShard(data, forget, UnlearningMethod.EXACT, List.of("r"), "honest", shard, 1);
        }
        assertThat(new Finalization(repo).run(data, forget, new Finalization.Run("honest", 1, UnlearningMethod.EXACT,
                shards, List.of("r"), gate, List.of())).published()).isTrue();
    }

    @Test
    void retrainingFromACheckpointEqualsTrainingWithoutTheRecordsFromScratch() throws Exception {
        Splits data = EngineFixtures.fashion(2400, 500);
        ShardedModelSpec spec = EngineFixtures.spec(SHARDS, SLICES, 1, store);
        ModelRepository repo = new ModelRepository(new FileBlobStore(store), "exact").withIdKey(EngineFixtures.ID_KEY);
        new ModelTraining(repo, spec).trainAll(data.train());
        List<String> forgotten = List.of("train-5", "train-77", "train-1203");

        UnlearningOutcome outcome = new Unlearning(repo, spec, ApproximateSettings.defaults())
                .run(data, ForgetSet.resolve(records(forgotten), data.train()), UnlearningMethod.EXACT, List.of("r"));

        // The reference: every shard trained from its seeded start on the data without the forgotten records.
        ShardLayout without = ShardLayout.of(data.train(), 7, SHARDS, SLICES, Set.copyOf(forgotten));
        ShardTrainer trainer = new ShardTrainer(spec.getArchitecture(), spec.getTraining());
        for (ShardEntry shard : outcome.after().shards()) {
            var fromScratch = trainer.train(data.train(), without, shard.shard(), 0, null);
            assertThat(shard.modelDigest())
                    .as("shard %d after exact unlearning is bit-identical to a retrain without the records", shard.shard())
                    .isEqualTo(Digests.sha256(fromScratch.get(SLICES - 1).checkpoint()));
        }
        assertThat(outcome.affectedShards()).containsExactlyElementsOf(
                Unlearning.affectedShards(forgotten, 7, SHARDS, SLICES));
    }

    @Test
    void noForgottenIdRemainsInAnyShardAcrossRandomRequests() throws Exception {
        Splits data = EngineFixtures.fashion(1500, 300);
        ShardedModelSpec spec = EngineFixtures.spec(SHARDS, SLICES, 1, store);
        ModelRepository repo = new ModelRepository(new FileBlobStore(store), "property").withIdKey(EngineFixtures.ID_KEY);
        new ModelTraining(repo, spec).trainAll(data.train());
        Unlearning unlearning = new Unlearning(repo, spec, ApproximateSettings.defaults());
        Random random = new Random(2024);
        TreeSet<String> allForgotten = new TreeSet<>();

        for (int request = 0; request < 6; request++) {
            List<String> ids = new ArrayList<>();
            int size = 1 + random.nextInt(request % 2 == 0 ? 3 : 40);
            for (int i = 0; i < size; i++) {
                ids.add("train-" + random.nextInt(data.train().size()));
            }
            VersionManifest before = repo.latest().orElseThrow();
            UnlearningOutcome outcome = unlearning.run(data, ForgetSet.resolve(records(ids), data.train()),
                    UnlearningMethod.EXACT, List.of("req-" + request));
            allForgotten.addAll(ids);

            VersionManifest after = repo.latest().orElseThrow();
            assertThat(after.version()).isEqualTo(before.version() + 1);
            assertThat(after.tombstones()).containsAll(EngineFixtures.ID_KEY.records(allForgotten));
            Set<Integer> expectedAffected = Unlearning.affectedShards(ids, 7, SHARDS, SLICES);
            for (ShardEntry shard : after.shards()) {
                Set<String> membership = ShardArtifacts.membership(repo, shard);
                assertThat(membership).as("request %d, shard %d", request, shard.shard()).doesNotContainAnyElementsOf(allForgotten);
                assertThat(shard.exact()).isTrue();
                if (!expectedAffected.contains(shard.shard())) {
                    assertThat(shard).as("untouched shard keeps its artifacts").isEqualTo(before.shards().get(shard.shard()));
                }
            }
            assertThat(outcome.affectedShards()).containsExactlyElementsOf(expectedAffected);
        }
    }

    @Test
    void tombstonesSurviveAFullRetrainFromDataThatStillHoldsTheRecords() throws Exception {
        Splits data = EngineFixtures.fashion(1200, 300);
        ShardedModelSpec spec = EngineFixtures.spec(2, 2, 1, store);
        ModelRepository repo = new ModelRepository(new FileBlobStore(store), "tombstones").withIdKey(EngineFixtures.ID_KEY);
        ModelTraining training = new ModelTraining(repo, spec);
        training.trainAll(data.train());
        List<String> forgotten = List.of("train-1", "train-2", "train-3");
        new Unlearning(repo, spec, ApproximateSettings.defaults())
                .run(data, ForgetSet.resolve(records(forgotten), data.train()), UnlearningMethod.EXACT, List.of("r"));

        VersionManifest retrained = training.trainAll(data.train());

        assertThat(retrained.version()).isEqualTo(3);
        assertThat(retrained.tombstones()).as("keyed digests of the forgotten ids, never the ids")
                .containsAll(EngineFixtures.ID_KEY.records(forgotten)).doesNotContainAnyElementsOf(forgotten);
        int members = 0;
        for (ShardEntry shard : retrained.shards()) {
            Set<String> membership = ShardArtifacts.membership(repo, shard);
            assertThat(membership).doesNotContainAnyElementsOf(forgotten);
            members += membership.size();
        }
        assertThat(members).isEqualTo(data.train().size() - forgotten.size());
    }
}
