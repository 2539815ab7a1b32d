package dev.unlearning.cli;

import dev.unlearning.api.worker.WorkerInvocation;
import static org.assertj.core.api.Assertions.assertThat;

import dev.unlearning.api.ForgetLedger;
import dev.unlearning.api.ForgetLedgerSpec;
import dev.unlearning.api.LedgerEntry;
import dev.unlearning.api.ShardedModel;
import dev.unlearning.api.UnlearningRequest;
import dev.unlearning.api.worker.DetectionResult;
import dev.unlearning.api.worker.ExitCode;
import dev.unlearning.api.worker.FinalizeResult;
import dev.unlearning.engine.training.ShardArtifacts;
import dev.unlearning.operator.jobs.ModelFiles;
import dev.unlearning.store.Digests;
import dev.unlearning.store.FileBlobStore;
import dev.unlearning.store.ModelRepository;
import dev.unlearning.store.ShardEntry;
import dev.unlearning.store.VersionManifest;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A forget.outliers request through the roles: the dry run's detect role finds the mislabelled records and writes
 * only their keyed digests, changing no version or stage; the same selector without dryRun makes the unlearn and
 * finalize roles forget exactly those records.
 */
class OutlierRolesTest {

    /** Four records of each class carry another class's label: a detector scoring per class should find them. */
    static final int MISLABELLED_PER_CLASS = 4;
    static final double[][] CENTRES = {{8, 0, 0, 0}, {0, 8, 0, 0}, {0, 0, 8, 0}};

    @TempDir
    Path dir;

    private final List<String> mislabelled = new ArrayList<>();

    @BeforeEach
    void data() throws Exception {
        RoleIo.environment = name -> name.equals(RoleIo.ID_KEY_ENV) ? EngineRolesTest.ID_KEY_TEXT : System.getenv(name);
        Random random = new Random(5);
        Files.write(dir.resolve("train.csv"), records("rec", 600, random, true));
        Files.write(dir.resolve("test.csv"), records("held", 150, random, false));
        Files.writeString(dir.resolve("model.yaml"), """
                apiVersion: unlearning.dev/v1alpha1
                kind: ShardedModel
                metadata: {name: noisy, namespace: team}
                spec:
                  dataset: {format: csv, uri: "file://%s", testUri: "file://%s"}
                  storage: {uri: "file://%s"}
                  architecture: {type: knn, neighbours: 5}
                  sharding: {shards: 2, slices: 2}
                """.formatted(dir.resolve("train.csv"), dir.resolve("test.csv"), dir.resolve("store")));
    }

    @AfterEach
    void unmountIdKey() {
        RoleIo.environment = System::getenv;
    }

    @Test
    void aDryRunReportsTheMislabelledRecordsByKeyedDigestAndChangesNothing() throws Exception {
        assertThat(run(new TrainCommand(), "--model", dir.resolve("model.yaml"))).isZero();
        List<String> before = repo().keys();
        VersionManifest v1 = repo().latest().orElseThrow();

        for (String detector : List.of("IsolationForest", "LocalOutlierFactor")) {
            Path request = request("dry-" + detector.toLowerCase(Locale.ROOT), detector, true);
            Path output = dir.resolve(detector + ".json");
            assertThat(run(new DetectCommand(), "--model", dir.resolve("model.yaml"), "--request", request,
                    "--output", output)).isZero();
            DetectionResult result = ModelRepository.JSON.readValue(output.toFile(), DetectionResult.class);
            assertThat(result.found()).as(detector).isEqualTo(3 * MISLABELLED_PER_CLASS);
            assertThat(result.perClass()).as(detector).containsOnlyKeys("0", "1", "2")
                    .allSatisfy((label, n) -> assertThat(n).isEqualTo(MISLABELLED_PER_CLASS));

            byte[] report = repo().detection("uid-dry-" + detector.toLowerCase(Locale.ROOT)).orElseThrow();
            assertThat(Digests.sha256(report)).isEqualTo(result.reportDigest());
            DetectCommand.Report read = ModelRepository.JSON.readValue(report, DetectCommand.Report.class);
            assertThat(read.recordDigests()).as("%s finds exactly the mislabelled records, named by keyed digest",
                    detector).containsExactlyElementsOf(new TreeSet<>(EngineRolesTest.ID_KEY.records(mislabelled)));
            assertThat(new String(report)).as("no raw record id in the report").doesNotContain("rec-");
            assertThat(read.idKey()).isEqualTo(EngineRolesTest.ID_KEY.id());
        }
        List<String> after = new ArrayList<>(repo().keys());
        after.removeIf(key -> key.contains("/detections/"));
        assertThat(after).as("the dry runs wrote their reports and nothing else").isEqualTo(before);
        assertThat(repo().latest().orElseThrow().ensembleDigest()).isEqualTo(v1.ensembleDigest());
    }

    @Test
    void withoutDryRunTheSameSelectorForgetsExactlyTheDetectedRecords() throws Exception {
        Path model = dir.resolve("model.yaml");
        assertThat(run(new TrainCommand(), "--model", model)).isZero();
        Path request = request("forget-outliers", "IsolationForest", false);
        for (int index = 0; index < 2; index++) {
            assertThat(run(new UnlearnCommand(), "--model", model, "--request", request, "--method", "Exact",
                    "--run", "u1", "--shards", "0,1", "--base-version", 1, "--index", index)).isZero();
        }
        assertThat(run(new FinalizeCommand(), "--model", model, "--request", request, "--run", "u1", "--base-version", 1,
                "--method", "Exact", "--shards", "0,1", "--output", dir.resolve("final.json"))).isZero();
        FinalizeResult result = ModelRepository.JSON.readValue(dir.resolve("final.json").toFile(),
                FinalizeResult.class);
        assertThat(result.published()).isTrue();
        assertThat(result.forgotten()).isEqualTo(mislabelled.size());
        VersionManifest v2 = repo().latest().orElseThrow();
        List<String> kept = new ArrayList<>();
        for (ShardEntry shard : v2.shards()) {
            kept.addAll(ShardArtifacts.membership(repo(), shard));
        }
        assertThat(kept).hasSize(600 - mislabelled.size()).doesNotContainAnyElementsOf(mislabelled);
    }

    @Test
    void aLedgerEntryKeepsTheDetectedRecordsOutOfALaterTrainingOnTheSameDataOnly() throws Exception {
        UnlearningRequest asked = RoleIo.readRequest(request("dataset-wide", "IsolationForest", false));
        LedgerEntry entry = new LedgerEntry();
        entry.setRequest("dataset-wide");
        entry.setRequestUid("uid-dataset-wide");
        // As the operator records it: the request's selector, through the ledger's own flat form.
        entry.select(asked.getSpec().getForget());
        assertThat(entry.selects()).isTrue();
        ForgetLedger ledger = new ForgetLedger();
        ledger.setMetadata(new ObjectMetaBuilder().withName("dataset-x").withNamespace("team").build());
        ledger.setSpec(new ForgetLedgerSpec());
        ledger.getSpec().setDatasetUri("file:///data");
        ledger.getSpec().setEntries(List.of(entry));
        ShardedModel model = RoleIo.readModel(dir.resolve("model.yaml"));
        model.getMetadata().setUid("model-uid");
        Path file = dir.resolve("ledger.yaml");
        Files.writeString(file, ModelFiles.ledger(model, "noisy-ledger-run", "run", ledger).getData()
                .get(WorkerInvocation.LEDGER_FILE));

        assertThat(run(new TrainCommand(), "--model", dir.resolve("model.yaml"), "--ledger", file)).isZero();
        VersionManifest v1 = repo().latest().orElseThrow();
        List<String> kept = new ArrayList<>();
        for (ShardEntry shard : v1.shards()) {
            kept.addAll(ShardArtifacts.membership(repo(), shard));
        }
        assertThat(kept).as("the detector's records are left out, as the request would have forgotten them")
                .hasSize(600 - mislabelled.size()).doesNotContainAnyElementsOf(mislabelled);
        assertThat(v1.tombstones()).containsAll(EngineRolesTest.ID_KEY.records(mislabelled));

        entry.setDataDigest("digest-of-the-data-as-it-was");
        Files.writeString(file, ModelFiles.ledger(model, "noisy-ledger-run", "run", ledger).getData()
                .get(WorkerInvocation.LEDGER_FILE));
        assertThat(run(new TrainCommand(), "--model", dir.resolve("model.yaml"), "--ledger", file))
                .as("on other data a detector finds other records").isEqualTo(ExitCode.DATA_ERROR.code());
        assertThat(repo().versions()).containsExactly(1);
    }

    @Test
    void aSelectorWithoutOutliersIsRefusedByTheDetectRole() throws Exception {
        Path request = dir.resolve("plain.yaml");
        Files.writeString(request, """
                apiVersion: unlearning.dev/v1alpha1
                kind: UnlearningRequest
                metadata: {name: plain, namespace: team, uid: uid-plain}
                spec:
                  modelRef: {name: noisy}
                  forget: {recordIds: [rec-1]}
                """);
        assertThat(run(new DetectCommand(), "--model", dir.resolve("model.yaml"), "--request", request))
                .isEqualTo(ExitCode.INVALID_INPUT.code());
    }

    private Path request(String name, String detector, boolean dryRun) throws Exception {
        Path file = dir.resolve(name + ".yaml");
        Files.writeString(file, """
                apiVersion: unlearning.dev/v1alpha1
                kind: UnlearningRequest
                metadata: {name: %s, namespace: team, uid: uid-%s}
                spec:
                  modelRef: {name: noisy}
                  dryRun: %s
                  forget: {outliers: {detector: %s, contamination: 0.02}}
                """.formatted(name, name, dryRun, detector));
        return file;
    }

    private List<String> records(String prefix, int rows, Random random, boolean withNoise) {
        List<String> lines = new ArrayList<>(List.of("id,subject,label,f0,f1,f2,f3"));
        int[] flipped = new int[3];
        for (int i = 0; i < rows; i++) {
            int label = i % 3;
            String id = prefix + "-" + i;
            int given = label;
            if (withNoise && i % 7 == 0 && flipped[(label + 1) % 3] < MISLABELLED_PER_CLASS) {
                given = (label + 1) % 3;
                flipped[given]++;
                mislabelled.add(id);
            }
            StringBuilder line = new StringBuilder(id).append(",,").append(given);
            for (double centre : CENTRES[label]) {
                line.append(',').append(String.format(Locale.ROOT, "%.4f", centre + random.nextGaussian()));
            }
            lines.add(line.toString());
        }
        return lines;
    }

    private ModelRepository repo() {
        return new ModelRepository(new FileBlobStore(dir.resolve("store")), "team", "noisy");
    }

    private int run(Object command, Object... args) {
        return new CommandLine(command).execute(Arrays.stream(args).map(String::valueOf).toArray(String[]::new));
    }
}
