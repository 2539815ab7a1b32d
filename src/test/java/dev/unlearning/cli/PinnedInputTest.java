package dev.unlearning.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.unlearning.api.worker.ExitCode;
import dev.unlearning.api.worker.InputPins;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A worker refuses input files that are not the ones the operator pinned in its Job: edited before the pod read
 * them, or while the role ran. Nothing is run or reported on changed input.
 */
class PinnedInputTest {

    @TempDir
    Path dir;

    @AfterEach
    void unpin() {
        RoleIo.environment = System::getenv;
    }

    @Test
    void theDigestIsOfNamesAndContentsInAnyOrderAndIgnoresTheKubeletsOwnEntries() throws Exception {
        Map<String, String> written = Map.of("r1.yaml", "spec: a", "r2.yaml", "spec: b");
        assertThat(InputPins.digest(written)).isEqualTo(InputPins.digest(new java.util.TreeMap<>(written)))
                .isNotEqualTo(InputPins.digest(Map.of("r1.yaml", "spec: b", "r2.yaml", "spec: a")))
                .isNotEqualTo(InputPins.digest(Map.of("r1.yaml", "spec: ar2.yaml", "", "spec: b")));

        // The layout a kubelet gives a ConfigMap volume: ..data points at a timestamped directory, each key is a
        // link through it.
        Path mounted = Files.createDirectories(dir.resolve("requests"));
        Path stamped = Files.createDirectories(mounted.resolve("..2026_12_08_02_00_00.1"));
        written.forEach((name, content) -> write(stamped.resolve(name), content));
        Files.createSymbolicLink(mounted.resolve("..data"), stamped.getFileName());
        for (String name : written.keySet()) {
            Files.createSymbolicLink(mounted.resolve(name), Path.of("..data", name));
        }
        assertThat(InputPins.read(mounted)).isEqualTo(written);
    }

    @Test
    void aRoleOnPinnedInputRunsAndOnEditedInputRefusesWithoutAResult() throws Exception {
        Path requests = Files.createDirectories(dir.resolve("requests"));
        Files.writeString(requests.resolve("r1.yaml"), "spec: {forget: {recordDigests: [aa]}}");
        String pinned = InputPins.digest(InputPins.read(requests));
        Path model = Files.writeString(dir.resolve("model.yaml"), """
                apiVersion: unlearning.dev/v1alpha1
                kind: ShardedModel
                metadata: {name: pinned, namespace: team-a}
                spec:
                  dataset: {uri: "file:///nowhere"}
                  storage: {uri: "file://%s"}
                """.formatted(dir.resolve("store")));
        Path terminationLog = dir.resolve("termination-log");
        Map<String, String> pod = Map.of(InputPins.ENV_REQUESTS_DIR, requests.toString(),
                InputPins.ENV_REQUESTS_SHA256, pinned, "UNLEARNING_TERMINATION_LOG", terminationLog.toString());
        RoleIo.environment = pod::get;

        assertThat(purge(model).code()).isZero();
        assertThat(terminationLog).exists();

        Files.delete(terminationLog);
        Files.writeString(requests.resolve("r1.yaml"), "spec: {forget: {recordDigests: [bb]}}");
        Outcome edited = purge(model);
        assertThat(edited.code()).isEqualTo(ExitCode.INVALID_INPUT.code());
        assertThat(edited.err()).contains("are not the ones the operator wrote").contains("pinned " + pinned.substring(0, 12));
        assertThat(terminationLog).as("nothing reported").doesNotExist();

        RoleIo.environment = Map.of(InputPins.ENV_REQUESTS_DIR, requests.toString())::get;
        assertThatThrownBy(() -> InputPins.verify(RoleIo.environment)).hasMessageContaining("only one of them is set");
    }

    record Outcome(int code, String err) {
    }

    private Outcome purge(Path model) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream previous = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = new CommandLine(new PurgeCommand()).execute("--model", model.toString(), "--output",
                    dir.resolve("result.json").toString());
            return new Outcome(code, err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(previous);
        }
    }

    private static void write(Path file, String content) {
        try {
            Files.writeString(file, content);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
