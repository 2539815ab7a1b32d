package dev.unlearning.engine.sharding;

import static org.assertj.core.api.Assertions.assertThat;

import dev.unlearning.api.DatasetSpec;
import dev.unlearning.api.ShardPlacement;
import dev.unlearning.api.ShardedModel;
import dev.unlearning.api.ShardedModelStatus;
import dev.unlearning.engine.EngineFixtures;
import dev.unlearning.engine.data.Dataset;
import dev.unlearning.engine.training.ModelTraining;
import dev.unlearning.engine.training.TrainingResults;
import dev.unlearning.operator.planning.ShardPlanner;
import dev.unlearning.store.FileBlobStore;
import dev.unlearning.store.ModelLayout;
import dev.unlearning.store.ModelRepository;
import dev.unlearning.store.VersionManifest;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Placement by subject, and that the operator, which plans from ids alone, names exactly the shards the engine,
 * which places from the data, puts a subject's records in.
 */
class SubjectPlacementTest {

    static final int SHARDS = 16;
    static final int SLICES = 4;
    static final long SEED = EngineFixtures.spec(1, 1, 1, Path.of("/tmp/unused")).getTraining().getSeed();

    /** 6,000 records: 199 subjects of 25 records, one subject ("whale") of 1,025, and 0 records without one. */
    final Dataset data;

    SubjectPlacementTest() {
        Dataset train = EngineFixtures.fashion(6000, 10).train();
        String[] subjects = new String[train.size()];
        for (int row = 0; row < train.size(); row++) {
            subjects[row] = row < 1025 ? "whale" : "person-" + (row - 1025) / 25;
        }
        subjects[5999] = null;
        this.data = train.withSubjects(subjects);
    }

    @Test
    void aSubjectsRecordsShareOneSliceOfOneShardAndSubjectsSpreadOverAll() {
        ModelLayout layout = layout(ShardPlacement.BY_SUBJECT);
        PlacementRule rule = PlacementRule.of(layout, EngineFixtures.ID_KEY);
        ShardLayout shards = ShardLayout.of(data, rule, Set.of());
        for (String subject : List.of("person-0", "person-17", "person-198")) {
            TreeSet<Integer> seen = new TreeSet<>();
            TreeSet<Integer> slices = new TreeSet<>();
            for (int row : rowsOf(subject)) {
                Placement p = locate(shards, row);
                seen.add(p.shard());
                slices.add(p.slice());
            }
            assertThat(seen).as(subject).hasSize(1).isEqualTo(rule.shardsOfSubject(subject));
            assertThat(slices).as("%s's 25 records in one slice", subject).hasSize(1);
        }
        // 199 ordinary subjects over 16 x 4 slices: every shard and most slices hold someone.
        TreeSet<Integer> shardsUsed = new TreeSet<>();
        TreeSet<Integer> slicesUsed = new TreeSet<>();
        for (int p = 0; p < 199; p++) {
            Placement first = locate(shards, rowsOf("person-" + p)[0]);
            shardsUsed.add(first.shard());
            slicesUsed.add(first.shard() * SLICES + first.slice());
        }
        assertThat(shardsUsed).hasSize(SHARDS);
        assertThat(slicesUsed).hasSizeGreaterThan(SHARDS * SLICES / 2);
    }

    @Test
    void aSubjectTooLargeForOneShardSpreadsOverConsecutiveShardsAndTheOperatorNamesThemAll(@TempDir Path store)
            throws Exception {
        VersionManifest trained = trainedWith(ShardPlacement.BY_SUBJECT, store);
        ModelLayout layout = trained.layout();
        // mean shard 375 records; the whale's 1,025 exceed twice that: ⌈1025 / 375⌉ = 3 shards.
        assertThat(layout.spreadSubjects()).containsExactly(Map.entry(EngineFixtures.ID_KEY.subject("whale"), 3));
        ShardLayout shards = ShardLayout.of(data, PlacementRule.of(layout, EngineFixtures.ID_KEY), Set.of());
        TreeMap<Integer, Integer> whaleByShard = new TreeMap<>();
        TreeSet<Integer> whaleSlices = new TreeSet<>();
        for (int row : rowsOf("whale")) {
            whaleByShard.merge(locate(shards, row).shard(), 1, Integer::sum);
            whaleSlices.add(locate(shards, row).slice());
        }
        assertThat(whaleByShard).hasSize(3);
        assertThat(whaleSlices).as("an oversized subject's records spread over slices").hasSize(SLICES);
        assertThat(whaleByShard.values()).allSatisfy(n -> assertThat(n).isBetween(250, 450));

        ShardedModel model = modelWith(TrainingResults.published(trained, null, 1.0).placement(),
                TrainingResults.published(trained, null, 1.0).spreadSubjects());
        assertThat(ShardPlanner.affectedShards(model, null, List.of("whale"), () -> EngineFixtures.ID_KEY))
                .containsExactlyElementsOf(whaleByShard.keySet());
        int personShard = locate(shards, rowsOf("person-3")[0]).shard();
        assertThat(ShardPlanner.affectedShards(model, null, List.of("person-3"), () -> EngineFixtures.ID_KEY))
                .containsExactly(personShard);
        assertThat(ShardPlanner.affectedShards(model, null, List.of("person-3", "whale"), () -> EngineFixtures.ID_KEY))
                .containsExactlyElementsOf(union(whaleByShard.keySet(), personShard));
    }

    @Test
    void whatIdsCannotPlaceIsPlannedOnEveryShard() {
        List<Integer> all = IntStream.range(0, SHARDS).boxed().toList();
        ShardedModel bySubject = modelWith(ShardPlacement.BY_SUBJECT, Map.of());
        assertThat(ShardPlanner.affectedShards(bySubject, List.of("train-7"), null, () -> EngineFixtures.ID_KEY))
                .as("a record's shard follows its subject, which only the data knows").isEqualTo(all);
        assertThat(ShardPlanner.affectedShards(modelWith(ShardPlacement.BY_SUBJECT, null), null, List.of("person-3"),
                () -> EngineFixtures.ID_KEY)).as("spread subjects unknown (a truncated result)").isEqualTo(all);
        assertThat(ShardPlanner.affectedShards(modelWith(ShardPlacement.BY_RECORD, null), null, List.of("person-3"),
                () -> EngineFixtures.ID_KEY)).as("placed by record: a subject touches every shard").isEqualTo(all);
        assertThat(ShardPlanner.affectedShards(modelWith(null, null), List.of("train-7"), null,
                () -> EngineFixtures.ID_KEY)).as("trained before placement was recorded: by record")
                .containsExactly(Placement.of("train-7", SEED, SHARDS, SLICES).shard());
    }

    @Test
    void autoPlacesBySubjectOnlyWhenTheSpecDeclaresSubjects() {
        var spec = EngineFixtures.spec(SHARDS, SLICES, 1, Path.of("/tmp/unused"));
        assertThat(ShardPlacement.resolve(spec)).isEqualTo(ShardPlacement.BY_RECORD);
        spec.getDataset().setSubjectMapUri("file:///data/subjects.csv");
        assertThat(ShardPlacement.resolve(spec)).isEqualTo(ShardPlacement.BY_SUBJECT);
        spec.getSharding().setPlacement(ShardPlacement.BY_RECORD);
        assertThat(ShardPlacement.resolve(spec)).isEqualTo(ShardPlacement.BY_RECORD);
    }

    @Test
    void byRecordAndLegacyLayoutsPlaceAsBefore() {
        ModelLayout legacy = new ModelLayout(null, data.inputShape(), 10, SHARDS, SLICES, 42, null, null, null, null);
        PlacementRule rule = PlacementRule.of(legacy, null);
        for (int row = 0; row < 200; row++) {
            assertThat(rule.place(data.id(row), data.subject(row)))
                    .isEqualTo(Placement.of(data.id(row), 42, SHARDS, SLICES));
        }
        ModelLayout layout = layout(ShardPlacement.BY_SUBJECT);
        PlacementRule bySubject = PlacementRule.of(layout, EngineFixtures.ID_KEY);
        assertThat(bySubject.place(data.id(5999), null)).as("a record without a subject: by its id")
                .isEqualTo(Placement.of(data.id(5999), layout.seed(), SHARDS, SLICES));
    }

    private ModelTraining training(ShardPlacement placement, Path store) {
        var spec = EngineFixtures.spec(SHARDS, SLICES, 1, store);
        spec.getSharding().setPlacement(placement);
        ModelRepository repo = new ModelRepository(new FileBlobStore(store.resolve("repo")), "subjects")
                .withIdKey(EngineFixtures.ID_KEY);
        return new ModelTraining(repo, spec);
    }

    /** The layout a training would record; only a spread subject's digest needs the (unused) repository's key. */
    private ModelLayout layout(ShardPlacement placement) {
        return training(placement, Path.of("/tmp/unused")).layoutOf(data);
    }

    private VersionManifest trainedWith(ShardPlacement placement, Path store) throws Exception {
        var spec = EngineFixtures.spec(SHARDS, SLICES, 1, store);
        spec.getSharding().setPlacement(placement);
        spec.getArchitecture().setHidden(List.of(4));
        ModelRepository repo = new ModelRepository(new FileBlobStore(store.resolve("repo")), "subjects")
                .withIdKey(EngineFixtures.ID_KEY);
        return new ModelTraining(repo, spec).trainAll(data);
    }

    private static ShardedModel modelWith(ShardPlacement placement, Map<String, Integer> spread) {
        ShardedModel model = new ShardedModel();
        model.setSpec(EngineFixtures.spec(SHARDS, SLICES, 1, Path.of("/tmp/unused")));
        model.getSpec().setDataset(new DatasetSpec());
        ShardedModelStatus status = new ShardedModelStatus();
        status.getPublished().setPlacement(placement);
        status.getPublished().setSpreadSubjects(spread);
        model.setStatus(status);
        return model;
    }

    private int[] rowsOf(String subject) {
        return IntStream.range(0, data.size()).filter(r -> subject.equals(data.subject(r))).toArray();
    }

    private static Placement locate(ShardLayout layout, int row) {
        for (int s = 0; s < layout.shards(); s++) {
            for (int r = 0; r < layout.slices(); r++) {
                for (int x : layout.slice(s, r)) {
                    if (x == row) {
                        return new Placement(s, r);
                    }
                }
            }
        }
        throw new AssertionError("row " + row + " is in no shard");
    }

    private static TreeSet<Integer> union(Set<Integer> a, int b) {
        TreeSet<Integer> out = new TreeSet<>(a);
        out.add(b);
        return out;
    }
}
