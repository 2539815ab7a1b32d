package dev.unlearning.images;

import dev.unlearning.testcluster.ProjectPaths;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The project's image for tests: built by images/build.sh, run and pushed with podman (runc). */
public final class ProjectImage {

    public static final String LOCAL = "localhost/unlearning-operator:it";

    private ProjectImage() {
    }

    /** A command's exit code and its output (stdout and stderr together). */
    public record Result(int code, String output) {
    }

    /** Builds (or reuses) the image; fails naming what build.sh said. */
    public static String build() throws Exception {
        Result built = run(Duration.ofMinutes(15), "bash", ProjectPaths.root().resolve("images/build.sh").toString(),
                "it");
        if (built.code != 0) {
            throw new IllegalStateException("images/build.sh failed:\n" + built.output);
        }
        String[] lines = built.output.strip().split("\n");
        return lines[lines.length - 1].strip();
    }

    /** Builds (or reuses) the CUDA worker image, {@link #LOCAL}-cuda (images/build.sh --cuda). */
    public static String buildCuda() throws Exception {
        Result built = run(Duration.ofMinutes(30), "bash", ProjectPaths.root().resolve("images/build.sh").toString(),
                "--cuda", "it");
        if (built.code != 0) {
            throw new IllegalStateException("images/build.sh --cuda failed:\n" + built.output);
        }
        String[] lines = built.output.strip().split("\n");
        return lines[lines.length - 1].strip();
    }

    /** Pushes the image into a plain-HTTP registry on loopback; the reference a node pulls. */
    public static String push(String registry) throws Exception {
        String remote = registry + "/unlearning-operator:it";
        Result tagged = podman(Duration.ofMinutes(1), "tag", LOCAL, remote);
        Result pushed = podman(Duration.ofMinutes(10), "push", "--tls-verify=false", remote);
        // The registry's port changes with every cluster: drop the local tag, or every run leaves one behind.
        Result untagged = podman(Duration.ofMinutes(1), "untag", LOCAL, remote);
        if (tagged.code != 0 || pushed.code != 0 || untagged.code != 0) {
            throw new IllegalStateException("could not push " + remote + ":\n" + tagged.output + pushed.output
                    + untagged.output);
        }
        return remote;
    }

    public static Result podman(Duration limit, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("podman", "--runtime", "/usr/sbin/runc"));
        command.addAll(List.of(args));
        if (args[0].equals("run")) {
            // This sandbox cannot raise rlimits: keep the container's at or below the hard limits.
            command.addAll(4, List.of("--ulimit", "nofile=1024:1024", "--ulimit", "nproc=4096:4096"));
        }
        return run(limit, command.toArray(String[]::new));
    }

    public static Result run(Duration limit, String... command) throws Exception {
        Path log = Files.createTempFile("project-image", ".log");
        try {
            Process process = new ProcessBuilder(command).directory(ProjectPaths.root().toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            boolean ended = process.waitFor(limit.toSeconds(), TimeUnit.SECONDS);
            if (!ended) {
                process.destroyForcibly();
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            return new Result(ended ? process.exitValue() : -1, ended ? output : output + "\n(timed out after " + limit + ")");
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
