package dev.unlearning.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.unlearning.api.worker.ExitCode;
import dev.unlearning.api.worker.FinalizeResult;
import dev.unlearning.api.worker.TrainingResult;
import dev.unlearning.store.attestation.Certificates;
import dev.unlearning.store.FileBlobStore;
import dev.unlearning.store.ModelRepository;
import java.nio.charset.StandardCharsets;
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
 * A Job retries a pod that died after its work reached the store but before it exited: publish and finalize
 * must then finish the run they already made visible, not publish a second copy under the next number nor fail
 * on their own version until the retries run out. A knn model on a small CSV keeps the roles fast.
 */
class RetriedRolesTest {

    @TempDir
    Path dir;

    private Path model;

    @BeforeEach
    void data() throws Exception {
        RoleIo.environment = name -> name.equals(RoleIo.ID_KEY_ENV) ? EngineRolesTest.ID_KEY_TEXT : System.getenv(name);
        Random random = new Random(2);
        for (String split : List.of("train", "test")) {
            List<String> lines = new ArrayList<>(List.of("id,subject,label,f0,f1"));
            for (int i = 0; i < 200; i++) {
                int label = i % 2;
                lines.add(String.format(Locale.ROOT, "%s-%d,,%d,%.4f,%.4f", split, i, label,
                        3 * label + random.nextGaussian(), random.nextGaussian()));
            }
            Files.write(dir.resolve(split + ".csv"), lines);
        }
        model = dir.resolve("model.yaml");
        Files.writeString(model, """
                apiVersion: unlearning.dev/v1alpha1
                kind: ShardedModel
                metadata: {name: retried}
                spec:
                  dataset: {format: csv, uri: "file://%s", testUri: "file://%s"}
                  storage: {uri: "file://%s"}
                  architecture: {type: knn, neighbours: 3}
                  sharding: {shards: 2, slices: 2}
                """.formatted(dir.resolve("train.csv"), dir.resolve("test.csv"), dir.resolve("store")));
    }

    @AfterEach
    void unmountIdKey() {
        RoleIo.environment = System::getenv;
    }

    @Test
    void aRetriedPublishReportsTheVersionItsFirstAttemptPublished() throws Exception {
        for (int shard = 0; shard < 2; shard++) {
            assertThat(run(new TrainCommand(), "--model", model, "--shard", shard, "--run", "t1")).isZero();
        }
        assertThat(run(new TrainCommand.Publish(), "--model", model, "--run", "t1")).isZero();
        assertThat(run(new TrainCommand.Publish(), "--model", model, "--run", "t1", "--output",
                dir.resolve("again.json"))).isZero();
        assertThat(repo().versions()).as("no second copy under the next number").containsExactly(1);
        TrainingResult again = result("again.json", TrainingResult.class);
        assertThat(again.version()).isEqualTo(1);
        assertThat(again.ensembleDigest()).isEqualTo(repo().version(1).ensembleDigest());
    }

    @Test
    void aRetriedFinalizeFinishesTheRunItsFirstAttemptPublishedAndRefusesAnotherWritersVersion() throws Exception {
        assertThat(run(new TrainCommand(), "--model", model)).isZero();
        Path request = request("r1", "train-3, train-8, train-13");
        unlearn(request, "u1");
        String[] finalize = finalizeArgs(request, "u1");
        assertThat(run(new FinalizeCommand(), (Object[]) finalize)).isZero();
        // The first attempt died after the manifest, before its evidence and its result.
        Path evidence = dir.resolve("store/models/retried/certificates/u1.json");
        Files.delete(evidence);

        assertThat(run(new FinalizeCommand(), (Object[]) withOutput(finalize, "retry.json"))).isZero();
        FinalizeResult retry = result("retry.json", FinalizeResult.class);
        assertThat(retry.published()).isTrue();
        assertThat(retry.version()).isEqualTo(2);
        assertThat(retry.digestAfter()).isEqualTo(repo().version(2).ensembleDigest());
        assertThat(repo().versions()).containsExactly(1, 2);
        byte[] rewritten = Files.readAllBytes(evidence);
        assertThat(Certificates.verify(rewritten, EngineRolesTest.ID_KEY_TEXT.getBytes(StandardCharsets.UTF_8))).isTrue();
        assertThat(retry.certificateDigest()).isEqualTo(dev.unlearning.store.Digests.sha256(rewritten));

        // A different run planned on version 1 finds version 2 is not its own: a conflict, as before.
        Path other = request("r2", "train-21");
        unlearn(other, "u2");
        assertThat(run(new FinalizeCommand(), (Object[]) finalizeArgs(other, "u2")))
                .isEqualTo(ExitCode.STORE_ERROR.code());
        assertThat(repo().versions()).containsExactly(1, 2);
    }

    private void unlearn(Path request, String runId) {
        for (int index = 0; index < 2; index++) {
            assertThat(run(new UnlearnCommand(), "--model", model, "--request", request, "--method", "Exact",
                    "--run", runId, "--shards", "0,1", "--base-version", 1, "--index", index)).isZero();
        }
    }

    private String[] finalizeArgs(Path request, String runId) {
        return new String[] {"--model", model.toString(), "--request", request.toString(), "--run", runId,
                "--base-version", "1", "--method", "Exact", "--shards", "0,1", "--gate", "maxTestAccuracyDrop=0.05"};
    }

    private String[] withOutput(String[] args, String file) {
        String[] out = Arrays.copyOf(args, args.length + 2);
        out[args.length] = "--output";
        out[args.length + 1] = dir.resolve(file).toString();
        return out;
    }

    private Path request(String name, String ids) throws Exception {
        Path file = dir.resolve(name + ".yaml");
        Files.writeString(file, """
                apiVersion: unlearning.dev/v1alpha1
                kind: UnlearningRequest
                metadata: {name: %s, uid: uid-%s}
                spec:
                  modelRef: {name: retried}
                  forget: {recordIds: [%s]}
                """.formatted(name, name, ids));
        return file;
    }

    private ModelRepository repo() {
        return new ModelRepository(new FileBlobStore(dir.resolve("store")), "retried");
    }

    private int run(Object command, Object... args) {
        return new CommandLine(command).execute(Arrays.stream(args).map(String::valueOf).toArray(String[]::new));
    }

    private <T> T result(String file, Class<T> type) throws Exception {
        return ModelRepository.JSON.readValue(dir.resolve(file).toFile(), type);
    }
}
