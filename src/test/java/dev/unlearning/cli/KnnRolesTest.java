package dev.unlearning.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.unlearning.api.worker.ExitCode;
import dev.unlearning.api.worker.FinalizeResult;
import dev.unlearning.api.Metric;
import dev.unlearning.api.worker.TrainingResult;
import dev.unlearning.engine.evaluation.Ensemble;
import dev.unlearning.engine.training.ShardArtifacts;
import dev.unlearning.serving.LoadedModel;
import dev.unlearning.store.FileBlobStore;
import dev.unlearning.store.ModelRepository;
import dev.unlearning.store.ShardEntry;
import dev.unlearning.store.VersionManifest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A knn ShardedModel through the roles its Job pods run: the index is built from the records, an exact request
 * drops them (the version equals, digest for digest, one trained without them), the gate sees the membership
 * signal of a record that is its own nearest neighbour go, the served answers change, and approximate methods are
 * refused.
 */
class KnnRolesTest {

    static final List<String> FORGOTTEN = List.of("rec-10", "rec-20", "rec-30", "rec-40", "rec-50");
    /** Mislabelled: its neighbours are class 1, it says 2. With k = 1 its shard's index repeats its own label. */
    static final String NOISY = "rec-10";
    static final double[][] CENTRES = {{4, 0, 0, 0, 0, 0}, {0, 4, 0, 0, 0, 0}, {0, 0, 4, 0, 0, 0}};

    @TempDir
    Path dir;

    private float[] noisyFeatures;

    @BeforeEach
    void data() throws Exception {
        RoleIo.environment = name -> name.equals(RoleIo.ID_KEY_ENV) ? EngineRolesTest.ID_KEY_TEXT : System.getenv(name);
        Random random = new Random(11);
        List<String> train = blobs("rec", 600, random);
        List<String> test = blobs("held", 300, random);
        Files.write(dir.resolve("train.csv"), train);
        Files.write(dir.resolve("test.csv"), test);
        // The same data without the records to forget: what a model that never saw them trains on.
        Files.write(dir.resolve("train-without.csv"), train.stream()
                .filter(line -> FORGOTTEN.stream().noneMatch(id -> line.startsWith(id + ","))).toList());
    }

    @AfterEach
    void unmountIdKey() {
        RoleIo.environment = System::getenv;
    }

    @Test
    void forgottenRecordsLeaveTheIndexExactlyAndTheVersionEqualsOneTrainedWithoutThem() throws Exception {
        Path model = model("blobs", "train.csv");
        assertThat(run(new TrainCommand(), "--model", model, "--output", dir.resolve("train.json"))).isZero();
        TrainingResult trained = result("train.json", TrainingResult.class);
        assertThat(trained.shards()).hasSize(2).allSatisfy(shard -> assertThat(shard.testAccuracy())
                .as("1-nearest neighbour on well separated blobs").isGreaterThan(0.9));
        VersionManifest v1 = repo("blobs").latest().orElseThrow();
        // k = 1, two shards: the shard that holds the record answers its label (smoothed: (1 + 0.5) / (1 + 1.5) = 0.6),
        // the other shard's nearest record is class 1 (0.5 / 2.5 = 0.2 for class 2).
        assertThat(probability(v1, noisyFeatures, 2)).isCloseTo(0.4f, within(1e-6f));

        Path request = request();
        assertThat(run(new UnlearnCommand(), "--model", model, "--request", request, "--method", "SCRUB", "--run", "bad",
                "--shards", "0,1", "--base-version", 1, "--index", 0))
                .as("no approximate method applies to a knn model").isEqualTo(ExitCode.INVALID_INPUT.code());
        for (int index = 0; index < 2; index++) {
            assertThat(run(new UnlearnCommand(), "--model", model, "--request", request, "--method", "Exact",
                    "--run", "u1", "--shards", "0,1", "--base-version", 1, "--index", index)).isZero();
        }
        assertThat(run(new FinalizeCommand(), "--model", model, "--request", request, "--run", "u1", "--base-version", 1,
                "--method", "Exact", "--shards", "0,1", "--gate", "maxForgetAccuracyGap=0.02",
                "--gate", "maxMiaAdvantage=0.05", "--gate", "maxTestAccuracyDrop=0.02",
                "--output", dir.resolve("final.json"))).isZero();
        FinalizeResult result = result("final.json", FinalizeResult.class);
        assertThat(result.published()).isTrue();
        assertThat(result.forgotten()).isEqualTo(FORGOTTEN.size());
        for (Metric metric : List.of(Metric.FORGET_ACCURACY_GAP, Metric.FORGET_ACCURACY_GAP_NOISE, Metric.MIA_ADVANTAGE,
                Metric.MIA_ADVANTAGE_NOISE, Metric.TEST_ACCURACY_DROP)) {
            assertThat(result.metricsAfter().get(metric)).as("%s, measured on the knn ensemble", metric).isNotNull();
        }

        VersionManifest v2 = repo("blobs").latest().orElseThrow();
        for (ShardEntry shard : v2.shards()) {
            assertThat(ShardArtifacts.membership(repo("blobs"), shard)).doesNotContainAnyElementsOf(FORGOTTEN);
        }
        assertThat(probability(v2, noisyFeatures, 2)).as("both shards' nearest records are class 1 now")
                .isCloseTo(0.2f, within(1e-6f));

        // Exactness: the unlearned version is, checkpoint for checkpoint, the model trained without the records.
        Path fresh = model("fresh", "train-without.csv");
        assertThat(run(new TrainCommand(), "--model", fresh)).isZero();
        VersionManifest never = repo("fresh").latest().orElseThrow();
        assertThat(v2.ensembleDigest()).isEqualTo(never.ensembleDigest()).isNotEqualTo(v1.ensembleDigest());
        for (int s = 0; s < 2; s++) {
            assertThat(v2.shards().get(s).slices()).isEqualTo(never.shards().get(s).slices());
        }
    }

    /** What the serving path answers for one record: the version's ensemble probability of {@code label}. */
    private float probability(VersionManifest version, float[] features, int label) throws Exception {
        try (Ensemble ensemble = Ensemble.load(repo(version.model()), version)) {
            return LoadedModel.of(version, ensemble).predictor().probabilities(features, version.layout().inputShape(),
                    1)[label];
        }
    }

    private List<String> blobs(String prefix, int rows, Random random) {
        List<String> lines = new ArrayList<>(List.of("id,subject,label,f0,f1,f2,f3,f4,f5"));
        for (int i = 0; i < rows; i++) {
            int label = i % 3;
            String id = prefix + "-" + i;
            float[] x = new float[CENTRES[label].length];
            StringBuilder line = new StringBuilder(id).append(",,")
                    .append(id.equals(NOISY) ? 2 : label);
            for (int j = 0; j < x.length; j++) {
                x[j] = Float.parseFloat(String.format(Locale.ROOT, "%.4f", CENTRES[label][j] + random.nextGaussian()));
                line.append(',').append(String.format(Locale.ROOT, "%.4f", x[j]));
            }
            if (id.equals(NOISY)) {
                noisyFeatures = x;
            }
            lines.add(line.toString());
        }
        return lines;
    }

    private Path model(String name, String train) throws Exception {
        Path file = dir.resolve(name + ".yaml");
        Files.writeString(file, """
                apiVersion: unlearning.dev/v1alpha1
                kind: ShardedModel
                metadata: {name: %s}
                spec:
                  dataset: {format: csv, uri: "file://%s", testUri: "file://%s"}
                  storage: {uri: "file://%s"}
                  architecture: {type: knn, neighbours: 1}
                  sharding: {shards: 2, slices: 2}
                """.formatted(name, dir.resolve(train), dir.resolve("test.csv"), dir.resolve("store")));
        return file;
    }

    private Path request() throws Exception {
        Path file = dir.resolve("request.yaml");
        Files.writeString(file, """
                apiVersion: unlearning.dev/v1alpha1
                kind: UnlearningRequest
                metadata: {name: forget, uid: uid-forget}
                spec:
                  modelRef: {name: blobs}
                  forget: {recordIds: [%s]}
                """.formatted(String.join(", ", FORGOTTEN)));
        return file;
    }

    private ModelRepository repo(String model) {
        return new ModelRepository(new FileBlobStore(dir.resolve("store")), model);
    }

    private int run(Object command, Object... args) {
        return new CommandLine(command).execute(Arrays.stream(args).map(String::valueOf).toArray(String[]::new));
    }

    private <T> T result(String file, Class<T> type) throws Exception {
        return ModelRepository.JSON.readValue(dir.resolve(file).toFile(), type);
    }
}
