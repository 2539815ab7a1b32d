package dev.unlearning.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.unlearning.engine.data.FashionMnist;
import dev.unlearning.store.FileBlobStore;
import dev.unlearning.store.ModelRepository;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The roles Job pods run, called as the pod would call them: exit codes say what went wrong, and no failure
 * ever leaves a new version behind.
 */
class EngineRolesTest {

    @TempDir
    Path dir;

    @Test
    void trainsEvaluatesAndUnlearnsReportingUnknownIds() throws Exception {
        Path model = model("roles", FashionMnist.defaultDir().toString());
        assertThat(run(new TrainCommand(), "--model", model, "--output", dir.resolve("train.json"))).isZero();
        assertThat(json("train.json").get("version").asInt()).isEqualTo(1);
        assertThat(json("train.json").get("shards").get(0).get("testAccuracy").asDouble()).isBetween(0.6, 1.0);

        Path request = request("r1", "recordIds: [train-3, train-99999999, test-1]");
        assertThat(run(new UnlearnCommand(), "--model", model, "--request", request, "--method", "Exact",
                "--output", dir.resolve("unlearn.json"))).isZero();
        JsonNode unlearn = json("unlearn.json");
        assertThat(unlearn.get("versionAfter").asInt()).isEqualTo(2);
        assertThat(unlearn.get("method").asText()).isEqualTo("Exact");
        assertThat(unlearn.get("forgotten").asInt()).isEqualTo(1);
        assertThat(unlearn.get("unknown")).extracting(JsonNode::asText).containsExactly("train-99999999", "test-1");

        assertThat(run(new EvaluateCommand(), "--model", model, "--request", request,
                "--output", dir.resolve("eval.json"))).isZero();
        JsonNode eval = json("eval.json");
        assertThat(eval.get("version").asInt()).isEqualTo(2);
        assertThat(eval.get("test").get("records").asInt()).isEqualTo(10_000);
        assertThat(eval.get("test").get("accuracy").asDouble()).isGreaterThan(0.7);
        assertThat(eval.get("forget").get("records").asInt()).isEqualTo(1);
    }

    @Test
    void aListFromAFileIsForgotten() throws Exception {
        Path model = model("listed", FashionMnist.defaultDir().toString());
        assertThat(run(new TrainCommand(), "--model", model)).isZero();
        Path list = Files.writeString(dir.resolve("ids.txt"), "train-21\n# comment\ntrain-22\n");

        assertThat(run(new UnlearnCommand(), "--model", model, "--request",
                request("f", "fromUri: \"file://" + list + "\""), "--method", "Exact",
                "--output", dir.resolve("listed.json"))).isZero();
        assertThat(json("listed.json").get("forgotten").asInt()).isEqualTo(2);
        assertThat(repo("listed").latest().orElseThrow().tombstones()).containsExactly("train-21", "train-22");
    }

    @Test
    void shardsTrainedByIndexArePublishedTogether() throws Exception {
        Path model = model("indexed", FashionMnist.defaultDir().toString());
        for (int shard = 0; shard < 2; shard++) {
            assertThat(run(new TrainCommand(), "--model", model, "--shard", shard, "--run", "job-1")).isZero();
        }
        assertThat(repo("indexed").versions()).as("staged shards are not a version").isEmpty();

        assertThat(run(new TrainCommand.Publish(), "--model", model, "--run", "job-1")).isZero();

        assertThat(repo("indexed").versions()).containsExactly(1);
        assertThat(repo("indexed").version(1).shards()).hasSize(2);
    }

    @Test
    void aPublishWithAMissingShardPublishesNothing() throws Exception {
        Path model = model("partial", FashionMnist.defaultDir().toString());
        assertThat(run(new TrainCommand(), "--model", model, "--shard", 1, "--run", "job-2")).isZero();

        assertThat(run(new TrainCommand.Publish(), "--model", model, "--run", "job-2")).isEqualTo(ExitCodes.STORE_ERROR);
        assertThat(repo("partial").versions()).isEmpty();
    }

    @Test
    void missingDataIsADataError() throws Exception {
        Path model = model("nodata", dir.resolve("absent").toString());
        assertThat(run(new TrainCommand(), "--model", model)).isEqualTo(ExitCodes.DATA_ERROR);
        assertThat(repo("nodata").versions()).isEmpty();
    }

    @Test
    void anEmptyForgetSetOrACorruptCheckpointPublishesNothing() throws Exception {
        Path model = model("bad", FashionMnist.defaultDir().toString());
        assertThat(run(new TrainCommand(), "--model", model)).isZero();

        assertThat(run(new UnlearnCommand(), "--model", model, "--request", request("none", "recordIds: [nobody-1]"),
                "--method", "Exact")).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(run(new UnlearnCommand(), "--model", model, "--request", request("auto", "recordIds: [train-1]")))
                .as("Auto is the operator's decision").isEqualTo(ExitCodes.INVALID_INPUT);

        for (var slice : repo("bad").version(1).shards().get(0).slices()) {
            Path blob = dir.resolve("store/models/bad/blobs/" + slice.checkpointDigest());
            Files.write(blob, new byte[] {1, 2, 3});
        }
        String idInShard0 = firstIdInShard0(repo("bad"));
        assertThat(run(new UnlearnCommand(), "--model", model, "--request", request("c", "recordIds: [" + idInShard0 + "]"),
                "--method", "Exact")).isEqualTo(ExitCodes.STORE_ERROR);
        assertThat(repo("bad").versions()).containsExactly(1);
    }

    @Test
    void aSpecThatNoLongerMatchesTheTrainedVersionIsRefused() throws Exception {
        Path model = model("shapes", FashionMnist.defaultDir().toString());
        assertThat(run(new TrainCommand(), "--model", model)).isZero();
        Files.writeString(model, Files.readString(model).replace("hidden: [32]", "hidden: [16]"));

        assertThat(run(new UnlearnCommand(), "--model", model, "--request", request("s", "recordIds: [train-1]"),
                "--method", "Exact")).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(repo("shapes").versions()).containsExactly(1);
    }

    @Test
    void anIndexedUnlearningRunIsVerifiedAndPublishedWithASignedCertificate() throws Exception {
        Path model = model("gated", FashionMnist.defaultDir().toString());
        assertThat(run(new TrainCommand(), "--model", model)).isZero();
        Path request = request("g", "recordIds: [train-3, train-4, train-5, train-6]");
        Path key = Files.writeString(dir.resolve("key"), "0123456789abcdef0123");
        for (int index = 0; index < 2; index++) {
            assertThat(run(new UnlearnCommand(), "--model", model, "--request", request, "--method", "Exact",
                    "--run", "u1", "--shards", "0,1", "--base-version", 1, "--index", index)).isZero();
        }
        assertThat(repo("gated").versions()).as("staged results are not a version").containsExactly(1);

        assertThat(run(new FinalizeCommand(), "--model", model, "--request", request, "--run", "u1",
                "--base-version", 1, "--method", "Exact", "--shards", "0,1", "--certificate-key-file", key,
                "--gate", "minTestAccuracy=0.99", "--output", dir.resolve("gate.json")))
                .isEqualTo(ExitCodes.GATE_FAILED);
        assertThat(repo("gated").versions()).as("a failed gate publishes nothing").containsExactly(1);
        assertThat(json("gate.json").get("gateFailures").get(0).asText()).startsWith("testAccuracy");

        assertThat(run(new FinalizeCommand(), "--model", model, "--request", request, "--run", "u1",
                "--base-version", 1, "--method", "Exact", "--shards", "0,1", "--certificate-key-file", key,
                "--gate", "minTestAccuracy=0.5", "--output", dir.resolve("final.json"))).isZero();
        JsonNode result = json("final.json");
        assertThat(result.get("version").asInt()).isEqualTo(2);
        assertThat(repo("gated").latest().orElseThrow().tombstones()).contains("train-3", "train-6");
        byte[] certificate = repo("gated").certificate("u1").orElseThrow();
        assertThat(dev.unlearning.store.Digests.sha256(certificate)).isEqualTo(result.get("certificateDigest").asText());
        assertThat(dev.unlearning.store.Certificates.verify(certificate, Files.readAllBytes(key))).isTrue();
        assertThat(new String(certificate)).doesNotContain("train-3");
    }

    private String firstIdInShard0(ModelRepository repo) throws Exception {
        var slices = repo.version(1).shards().get(0).slices();
        return new String(repo.blob(slices.get(slices.size() - 1).membershipDigest())).lines().findFirst().orElseThrow();
    }

    private int run(Object command, Object... args) {
        return new CommandLine(command).execute(java.util.Arrays.stream(args).map(String::valueOf).toArray(String[]::new));
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
