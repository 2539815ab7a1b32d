package dev.unlearning.cli;

import dev.unlearning.api.worker.WorkerInvocation;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.unlearning.api.ForgetLedger;
import dev.unlearning.api.ShardedModel;
import dev.unlearning.api.UnlearningMethod;
import dev.unlearning.api.worker.ErasureResult;
import dev.unlearning.api.worker.ExitCode;
import dev.unlearning.api.worker.FinalizeResult;
import dev.unlearning.api.Metric;
import dev.unlearning.api.worker.ShardSummary;
import dev.unlearning.api.worker.TerminationMessage;
import dev.unlearning.api.Threshold;
import dev.unlearning.api.worker.TrainingResult;
import dev.unlearning.api.worker.UnlearnResult;
import dev.unlearning.api.worker.UnlearnShardResult;
import dev.unlearning.engine.data.FashionMnist;
import dev.unlearning.engine.training.ShardArtifacts;
import dev.unlearning.operator.jobs.ModelFiles;
import dev.unlearning.store.attestation.Certificates;
import dev.unlearning.store.Digests;
import dev.unlearning.store.FileBlobStore;
import dev.unlearning.store.IdDigestKey;
import dev.unlearning.store.ModelRepository;
import dev.unlearning.store.ShardEntry;
import dev.unlearning.store.VersionManifest;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import dev.unlearning.api.TrainingSpec;
import dev.unlearning.engine.sharding.Placement;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The roles Job pods run, called as the pod would call them: exit codes say what went wrong, and no failure
 * ever leaves a new version behind.
 */
class EngineRolesTest {

    /** What a namespace's worker pods have mounted: every role here runs with it unless a test takes it away. */
    static final String ID_KEY_TEXT = "roles-test-id-digest-key";
    static final IdDigestKey ID_KEY = new IdDigestKey(ID_KEY_TEXT.getBytes(StandardCharsets.UTF_8));

    @TempDir
    Path dir;

    @BeforeEach
    void mountIdKey() {
        RoleIo.environment = name -> name.equals(RoleIo.ID_KEY_ENV) ? ID_KEY_TEXT : System.getenv(name);
    }

    @AfterEach
    void unmountIdKey() {
        RoleIo.environment = System::getenv;
    }

    private int runWithoutIdKey(Object command, Object... args) {
        RoleIo.environment = name -> name.equals(RoleIo.ID_KEY_ENV) ? null : System.getenv(name);
        try {
            return run(command, args);
        } finally {
            mountIdKey();
        }
    }

    @Test
    void trainsEvaluatesAndUnlearnsReportingUnknownIds() throws Exception {
        Path model = model("roles", FashionMnist.defaultDir().toString());
        assertThat(run(new TrainCommand(), "--model", model, "--output", dir.resolve("train.json"))).isZero();
        TrainingResult train = result("train.json", TrainingResult.class);
        assertThat(train.version()).isEqualTo(1);
        assertThat(train.shards().get(0).testAccuracy()).isBetween(0.6, 1.0);

        Path request = request("r1", "recordIds: [train-3, train-99999999, test-1]");
        assertThat(run(new UnlearnCommand(), "--model", model, "--request", request, "--method", "Exact",
                "--output", dir.resolve("unlearn.json"))).isZero();
        UnlearnResult unlearn = result("unlearn.json", UnlearnResult.class);
        assertThat(unlearn.versionAfter()).isEqualTo(2);
        assertThat(unlearn.method()).isEqualTo(UnlearningMethod.EXACT);
        assertThat(json("unlearn.json").get("method").asText()).isEqualTo("Exact");
        assertThat(unlearn.forgotten()).isEqualTo(1);
        assertThat(unlearn.unknown()).containsExactly("train-99999999", "test-1");

        assertThat(run(new EvaluateCommand(), "--model", model, "--request", request,
                "--output", dir.resolve("eval.json"))).isZero();
        JsonNode eval = json("eval.json");
        assertThat(eval.get("version").asInt()).isEqualTo(2);
        assertThat(eval.get("test").get("records").asInt()).isEqualTo(10_000);
        assertThat(eval.get("test").get("accuracy").asDouble()).isGreaterThan(0.7);
        assertThat(eval.get("forget").get("records").asInt()).isEqualTo(1);

        assertThat(runWithoutIdKey(new EraseCommand(), "--model", model, "--served-version", 2, "--retention", 1))
                .as("no id-digest key: memberships cannot be matched against tombstones")
                .isEqualTo(ExitCode.INVALID_INPUT.code());
        assertThat(repo("roles").versions()).as("nothing erased without the key").containsExactly(1, 2);
        Path erasureLog = dir.resolve("erase.termination-log");
        assertThat(runWithTerminationLog(erasureLog, new EraseCommand(), "--model", model, "--served-version", 2,
                "--retention", 1, "--output", dir.resolve("erase.json"))).isZero();
        ErasureResult erased = result("erase.json", ErasureResult.class);
        assertThat(erased.erasedVersions()).as("version 1 still held train-3").containsExactly(1);
        assertThat(erased.keptVersions()).containsExactly(2);
        assertThat(erased.erasedBlobs()).isPositive();
        assertThat(TerminationMessage.decode(Files.readString(erasureLog), ErasureResult.class).result()
                .erasedVersions()).containsExactly(1);
        assertThat(repo("roles").versions()).containsExactly(2);
        assertThat(run(new EraseCommand(), "--model", model, "--served-version", 1, "--retention", 1)).as("an erased version cannot be served around")
                .isEqualTo(ExitCode.STORE_ERROR.code());
    }

    @Test
    void aListFromAFileIsForgotten() throws Exception {
        Path model = model("listed", FashionMnist.defaultDir().toString());
        assertThat(run(new TrainCommand(), "--model", model)).isZero();
        Path list = Files.writeString(dir.resolve("ids.txt"), "train-21\n# comment\ntrain-22\n");

        assertThat(run(new UnlearnCommand(), "--model", model, "--request",
                request("f", "fromUri: \"file://" + list + "\""), "--method", "Exact",
                "--output", dir.resolve("listed.json"))).isZero();
        assertThat(result("listed.json", UnlearnResult.class).forgotten()).isEqualTo(2);
        assertThat(repo("listed").latest().orElseThrow().tombstones())
                .as("keyed digests, never raw ids").containsExactlyElementsOf(ID_KEY.records(List.of("train-21", "train-22")));
    }

    @Test
    void recordsNamedByKeyedDigestAreForgottenWithTheKeyAndRefusedWithoutIt() throws Exception {
        Path model = model("digested", FashionMnist.defaultDir().toString());
        assertThat(run(new TrainCommand(), "--model", model)).isZero();
        Path request = request("d", "recordDigests: [" + ID_KEY.record("train-31") + ", " + ID_KEY.record("train-32")
                + ", " + ID_KEY.record("no-such-record") + "]");
        assertThat(Files.readString(request)).doesNotContain("train-31");

        assertThat(runWithoutIdKey(new UnlearnCommand(), "--model", model, "--request", request, "--method", "Exact"))
                .as("no key, no match").isEqualTo(ExitCode.INVALID_INPUT.code());
        assertThat(run(new UnlearnCommand(), "--model", model, "--request", request, "--method", "Exact",
                "--output", dir.resolve("digested.json"))).isZero();
        UnlearnResult result = result("digested.json", UnlearnResult.class);
        assertThat(result.forgotten()).isEqualTo(2);
        assertThat(result.unknown()).singleElement().asString().startsWith("digest:").hasSize("digest:".length() + 12);
        assertThat(repo("digested").latest().orElseThrow().tombstones())
                .containsExactlyElementsOf(ID_KEY.records(List.of("train-31", "train-32")));
    }

    @Test
    void shardsTrainedByIndexArePublishedTogether() throws Exception {
        Path model = model("indexed", FashionMnist.defaultDir().toString());
        for (int shard = 0; shard < 2; shard++) {
            assertThat(run(new TrainCommand(), "--model", model, "--shard", shard, "--run", "job-1")).isZero();
        }
        assertThat(repo("indexed").versions()).as("staged shards are not a version").isEmpty();

        assertThat(run(new TrainCommand.Publish(), "--model", model, "--run", "job-1",
                "--output", dir.resolve("publish.json"))).isZero();

        assertThat(repo("indexed").versions()).containsExactly(1);
        TrainingResult published = result("publish.json", TrainingResult.class);
        assertThat(published.version()).isEqualTo(1);
        assertThat(published.run()).isEqualTo("job-1");
        assertThat(published.shards()).extracting(ShardSummary::shard).containsExactly(0, 1);
        assertThat(Files.exists(dir.resolve("store/models/indexed/staging/train-job-1/shard-1.json")))
                .as("staging keys are part of the store layout").isTrue();
        assertThat(Files.exists(dir.resolve("store/models/indexed/staging/train-job-1/layout.json"))).isTrue();
        assertThat(repo("indexed").version(1).shards()).hasSize(2);
    }

    @Test
    void theLedgerTheOperatorMountsKeepsItsRecordsOutOfEveryShardAndIsTombstoned() throws Exception {
        Path model = model("later", FashionMnist.defaultDir().toString());
        ShardedModel cr = new KubernetesSerialization().unmarshal(Files.readString(model), ShardedModel.class);
        Path ledger = ledgerFile(cr, "train-3\n      - train-40", null);
        for (int shard = 0; shard < 2; shard++) {
            assertThat(run(new TrainCommand(), "--model", model, "--shard", shard, "--run", "job-3",
                    "--ledger", ledger)).isZero();
        }
        assertThat(run(new TrainCommand.Publish(), "--model", model, "--run", "job-3")).isZero();

        VersionManifest v1 = repo("later").version(1);
        assertThat(v1.tombstones()).contains(ID_KEY.record("train-3"), ID_KEY.record("train-40"));
        for (ShardEntry shard : v1.shards()) {
            assertThat(ShardArtifacts.membership(repo("later"), shard)).doesNotContain("train-3", "train-40");
        }

        Path stale = ledgerFile(cr, "train-3", "digest-of-other-data");
        assertThat(run(new TrainCommand(), "--model", model, "--ledger", stale))
                .as("row positions filed against other data").isEqualTo(ExitCode.DATA_ERROR.code());
        assertThat(repo("later").versions()).containsExactly(1);
    }

    /** The ledger file exactly as the operator writes it into a training run's ConfigMap. */
    private Path ledgerFile(ShardedModel model, String ids, String digest) throws Exception {
        ForgetLedger ledger = new KubernetesSerialization().unmarshal("""
                apiVersion: unlearning.dev/v1alpha1
                kind: ForgetLedger
                metadata: {name: dataset-x, namespace: ns}
                spec:
                  datasetUri: file:///data
                  entries:
                    - request: r1
                      requestUid: uid-1
                      recordIds:
                      - %s
                """.formatted(ids), ForgetLedger.class);
        ledger.getSpec().getEntries().get(0).setDataDigest(digest);
        model.getMetadata().setUid("model-uid");
        ConfigMap configMap = ModelFiles.ledger(model, "later-ledger-run", "run", ledger);
        Path file = dir.resolve("ledger-" + (digest == null ? "fresh" : "stale") + ".yaml");
        Files.writeString(file, configMap.getData().get(WorkerInvocation.LEDGER_FILE));
        return file;
    }

    @Test
    void aPublishWithAMissingShardPublishesNothing() throws Exception {
        Path model = model("partial", FashionMnist.defaultDir().toString());
        assertThat(run(new TrainCommand(), "--model", model, "--shard", 1, "--run", "job-2")).isZero();

        assertThat(run(new TrainCommand.Publish(), "--model", model, "--run", "job-2")).isEqualTo(ExitCode.STORE_ERROR.code());
        assertThat(repo("partial").versions()).isEmpty();
    }

    @Test
    void missingDataIsADataError() throws Exception {
        Path model = model("nodata", dir.resolve("absent").toString());
        assertThat(run(new TrainCommand(), "--model", model)).isEqualTo(ExitCode.DATA_ERROR.code());
        assertThat(repo("nodata").versions()).isEmpty();
    }

    @Test
    void anEmptyForgetSetOrACorruptCheckpointPublishesNothing() throws Exception {
        Path model = model("bad", FashionMnist.defaultDir().toString());
        assertThat(run(new TrainCommand(), "--model", model)).isZero();

        assertThat(run(new UnlearnCommand(), "--model", model, "--request", request("none", "recordIds: [nobody-1]"),
                "--method", "Exact")).isEqualTo(ExitCode.INVALID_INPUT.code());
        assertThat(run(new UnlearnCommand(), "--model", model, "--request", request("auto", "recordIds: [train-1]")))
                .as("Auto is the operator's decision").isEqualTo(ExitCode.INVALID_INPUT.code());

        for (var slice : repo("bad").version(1).shards().get(0).slices()) {
            Path blob = dir.resolve("store/models/bad/blobs/" + slice.checkpointDigest());
            Files.write(blob, new byte[] {1, 2, 3});
        }
        String idInShard0 = firstIdInShard0(repo("bad"));
        assertThat(run(new UnlearnCommand(), "--model", model, "--request", request("c", "recordIds: [" + idInShard0 + "]"),
                "--method", "Exact")).isEqualTo(ExitCode.STORE_ERROR.code());
        assertThat(repo("bad").versions()).containsExactly(1);
    }

    @Test
    void aSpecThatNoLongerMatchesTheTrainedVersionIsRefused() throws Exception {
        Path model = model("shapes", FashionMnist.defaultDir().toString());
        assertThat(run(new TrainCommand(), "--model", model)).isZero();
        Files.writeString(model, Files.readString(model).replace("hidden: [32]", "hidden: [16]"));

        assertThat(run(new UnlearnCommand(), "--model", model, "--request", request("s", "recordIds: [train-1]"),
                "--method", "Exact")).isEqualTo(ExitCode.INVALID_INPUT.code());
        assertThat(repo("shapes").versions()).containsExactly(1);
    }

    @Test
    void anIndexedUnlearningRunIsVerifiedAndPublishedWithASignedCertificate() throws Exception {
        Path model = model("gated", FashionMnist.defaultDir().toString());
        assertThat(run(new TrainCommand(), "--model", model)).isZero();
        Path request = request("g", "recordIds: [train-3, train-4, train-5, train-6]");
        for (int index = 0; index < 2; index++) {
            assertThat(run(new UnlearnCommand(), "--model", model, "--request", request, "--method", "Exact",
                    "--run", "u1", "--shards", "0,1", "--base-version", 1, "--index", index,
                    "--output", dir.resolve("shard-" + index + ".json"))).isZero();
            assertThat(result("shard-" + index + ".json", UnlearnShardResult.class).shard()).isEqualTo(index);
            assertThat(Files.exists(dir.resolve("store/models/gated/staging/unlearn-u1/shard-" + index + ".json")))
                    .isTrue();
        }
        assertThat(repo("gated").versions()).as("staged results are not a version").containsExactly(1);

        // A plan that leaves out a shard holding a forgotten record (the operator plans without the data) fails
        // closed: the memberships say which shards trained on what.
        int holding = Placement.of("train-3", new TrainingSpec().getSeed(), 2, 2).shard();
        assertThat(run(new FinalizeCommand(), "--model", model, "--request", request, "--run", "u1",
                "--base-version", 1, "--method", "Exact", "--shards", String.valueOf(1 - holding)))
                .as("shard %d holds train-3 but was not planned", holding).isEqualTo(ExitCode.DATA_ERROR.code());
        assertThat(repo("gated").versions()).as("a plan that missed a shard publishes nothing").containsExactly(1);

        assertThat(run(new FinalizeCommand(), "--model", model, "--request", request, "--run", "u1",
                "--base-version", 1, "--method", "Exact", "--shards", "0,1",
                "--gate", "nosuchThreshold=0.5")).as("an unknown threshold is invalid input")
                .isEqualTo(ExitCode.INVALID_INPUT.code());

        Path terminationLog = dir.resolve("termination-log");
        assertThat(runWithTerminationLog(terminationLog, new FinalizeCommand(), "--model", model, "--request", request,
                "--run", "u1", "--base-version", 1, "--method", "Exact", "--shards", "0,1",
                "--gate", "minTestAccuracy=0.99", "--output", dir.resolve("gate.json")))
                .isEqualTo(ExitCode.GATE_FAILED.code());
        assertThat(repo("gated").versions()).as("a failed gate publishes nothing").containsExactly(1);
        FinalizeResult gated = TerminationMessage.decode(Files.readString(terminationLog), FinalizeResult.class)
                .result();
        assertThat(gated).isEqualTo(result("gate.json", FinalizeResult.class));
        assertThat(gated.published()).isFalse();
        assertThat(gated.gateFailures()).singleElement().satisfies(failure -> {
            assertThat(failure.threshold()).isEqualTo(Threshold.MIN_TEST_ACCURACY);
            assertThat(failure.describe()).startsWith("testAccuracy");
        });

        assertThat(run(new FinalizeCommand(), "--model", model, "--request", request, "--run", "u1",
                "--base-version", 1, "--method", "Exact", "--shards", "0,1",
                "--gate", "maxBackdoorAsr=1.0", "--output", dir.resolve("asr.json")))
                .as("no trigger to measure the attack success rate with: fails closed, even at the loosest limit")
                .isEqualTo(ExitCode.GATE_FAILED.code());
        assertThat(result("asr.json", FinalizeResult.class).gateFailures()).singleElement().satisfies(failure -> {
            assertThat(failure.threshold()).isEqualTo(Threshold.MAX_BACKDOOR_ASR);
            assertThat(failure.measured()).isNull();
        });

        Path triggered = request("g", "recordIds: [train-3, train-4, train-5, train-6]}\n  backdoorTrigger: {target: 0, "
                + "patch: 3");
        assertThat(runWithTerminationLog(terminationLog, new FinalizeCommand(), "--model", model, "--request", triggered,
                "--run", "u1", "--base-version", 1, "--method", "Exact", "--shards", "0,1",
                "--gate", "minTestAccuracy=0.5", "--gate", "maxBackdoorAsr=1.0", "--output", dir.resolve("final.json")))
                .isZero();
        TerminationMessage.Decoded<FinalizeResult> decoded =
                TerminationMessage.decode(Files.readString(terminationLog), FinalizeResult.class);
        assertThat(decoded.truncated()).isFalse();
        FinalizeResult result = decoded.result();
        assertThat(result).isEqualTo(result("final.json", FinalizeResult.class));
        assertThat(result.version()).isEqualTo(2);
        assertThat(result.metricsAfter().get(Metric.TEST_ACCURACY)).isGreaterThan(0.5);
        assertThat(result.metricsAfter().get(Metric.BACKDOOR_ASR)).as("measured with the request's trigger")
                .isBetween(0.0, 1.0);
        assertThat(result.metricsAfter().get(Metric.BACKDOOR_ASR_EXCESS))
                .as("what the trigger adds over the untriggered target rate, never more than the rate itself")
                .isBetween(-1.0, result.metricsAfter().get(Metric.BACKDOOR_ASR));
        assertThat(result.metricsAfter().get(Metric.BACKDOOR_ASR_EXCESS_NOISE)).isNotNegative();
        assertThat(result.certificateLocation()).isEqualTo("models/gated/certificates/u1.json");
        assertThat(repo("gated").latest().orElseThrow().tombstones())
                .contains(ID_KEY.record("train-3"), ID_KEY.record("train-6")).doesNotContain("train-3");
        byte[] certificate = repo("gated").certificate("u1").orElseThrow();
        assertThat(Digests.sha256(certificate)).isEqualTo(result.certificateDigest());
        assertThat(Certificates.verify(certificate, ID_KEY_TEXT.getBytes(StandardCharsets.UTF_8))).isTrue();
        assertThat(new String(certificate)).doesNotContain("train-3");
    }

    @Test
    void sameNamedModelsOfTwoNamespacesNeverShareAStoreAndAnOldLayoutIsRefusedNotForgotten() throws Exception {
        Path legacy = model("twin", FashionMnist.defaultDir().toString());
        assertThat(run(new TrainCommand(), "--model", legacy)).isZero();
        Path teamA = inNamespace(legacy, "team-a");
        assertThat(run(new TrainCommand(), "--model", teamA))
                .as("versions under the old layout would lose their tombstones if ignored")
                .isEqualTo(ExitCode.INVALID_INPUT.code());
        assertThat(new ModelRepository(new FileBlobStore(dir.resolve("store")), "team-a", "twin").versions()).isEmpty();

        Files.move(dir.resolve("store/models/twin"), Files.createDirectories(dir.resolve("store/models/team-a"))
                .resolve("twin"));
        assertThat(run(new TrainCommand(), "--model", teamA)).as("moved as the message says").isZero();
        assertThat(run(new TrainCommand(), "--model", inNamespace(legacy, "team-b"))).isZero();
        var a = new ModelRepository(new FileBlobStore(dir.resolve("store")), "team-a", "twin");
        var b = new ModelRepository(new FileBlobStore(dir.resolve("store")), "team-b", "twin");
        assertThat(a.versions()).containsExactly(1, 2);
        assertThat(b.versions()).containsExactly(1);
        assertThat(a.keys()).allMatch(k -> k.startsWith("models/team-a/twin/"));
    }

    private Path inNamespace(Path model, String namespace) throws Exception {
        return Files.writeString(dir.resolve(namespace + "-" + model.getFileName()), Files.readString(model)
                .replace("metadata: {name: twin}", "metadata: {name: twin, namespace: " + namespace + "}"));
    }

    private String firstIdInShard0(ModelRepository repo) throws Exception {
        var slices = repo.version(1).shards().get(0).slices();
        return new String(repo.blob(slices.get(slices.size() - 1).membershipDigest())).lines().findFirst().orElseThrow();
    }

    private int run(Object command, Object... args) {
        return new CommandLine(command).execute(Arrays.stream(args).map(String::valueOf).toArray(String[]::new));
    }

    /** Runs a role as a pod would, with UNLEARNING_TERMINATION_LOG naming {@code terminationLog}. */
    private int runWithTerminationLog(Path terminationLog, Object command, Object... args) throws Exception {
        Files.deleteIfExists(terminationLog);
        RoleIo.environment = name -> name.equals("UNLEARNING_TERMINATION_LOG") ? terminationLog.toString()
                : name.equals(RoleIo.ID_KEY_ENV) ? ID_KEY_TEXT : System.getenv(name);
        try {
            return run(command, args);
        } finally {
            mountIdKey();
        }
    }

    private <T> T result(String file, Class<T> type) throws Exception {
        return ModelRepository.JSON.readValue(dir.resolve(file).toFile(), type);
    }

    private JsonNode json(String file) throws Exception {
        return ModelRepository.JSON.readTree(dir.resolve(file).toFile());
    }

    private ModelRepository repo(String name) {
        return new ModelRepository(new FileBlobStore(dir.resolve("store")), name);
    }

    private Path model(String name, String data) throws Exception {
        Path file = dir.resolve(name + ".yaml");
        Files.writeString(file, """
                apiVersion: unlearning.dev/v1alpha1
                kind: ShardedModel
                metadata: {name: %s}
                spec:
                  dataset: {uri: "file://%s"}
                  storage: {uri: "file://%s"}
                  architecture: {type: mlp, hidden: [32]}
                  sharding: {shards: 2, slices: 2}
                  training: {epochs: 1, batchSize: 128}
                """.formatted(name, data, dir.resolve("store")));
        return file;
    }

    private Path request(String name, String selector) throws Exception {
        Path file = dir.resolve(name + "-request.yaml");
        Files.writeString(file, """
                apiVersion: unlearning.dev/v1alpha1
                kind: UnlearningRequest
                metadata: {name: %s, uid: uid-%s}
                spec:
                  modelRef: {name: any}
                  forget: {%s}
                """.formatted(name, name, selector));
        return file;
    }
}
