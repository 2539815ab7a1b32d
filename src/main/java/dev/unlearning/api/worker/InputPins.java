package dev.unlearning.api.worker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * A run's input files pinned by digest in its Job: the operator writes a run's requests (or a training's ledger
 * copy) into a ConfigMap, and puts that ConfigMap's SHA-256 into the Job's pod template, which nobody can change
 * once the Job exists. The worker hashes the files it was mounted and refuses to run, or to report, when they are
 * not what the operator wrote: an edit of the ConfigMap between the operator writing it and the pod reading it is
 * caught, whoever made it. Both sides compute the digest here.
 */
public final class InputPins {

    /** The mounted directory of the run's files (a path, so that a local runner can relocate it). */
    public static final String ENV_REQUESTS_DIR = "UNLEARNING_INPUT_REQUESTS_DIR";
    /** The SHA-256 the operator computed over the files it wrote there. */
    public static final String ENV_REQUESTS_SHA256 = "UNLEARNING_INPUT_REQUESTS_SHA256";

    /** Raised when pinned input is missing or not what was pinned. */
    public static final class InputChangedException extends IllegalArgumentException {
        InputChangedException(String message) {
            super(message);
        }
    }

    private InputPins() {
    }

    /** The digest of a set of files: each name and content, in name order, length-prefixed. */
    public static String digest(Map<String, String> files) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Map.Entry<String, String> file : new TreeMap<>(files).entrySet()) {
                byte[] name = file.getKey().getBytes(StandardCharsets.UTF_8);
                byte[] content = file.getValue().getBytes(StandardCharsets.UTF_8);
                sha.update((name.length + ":").getBytes(StandardCharsets.UTF_8));
                sha.update(name);
                sha.update((content.length + ":").getBytes(StandardCharsets.UTF_8));
                sha.update(content);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /**
     * The files of a mounted ConfigMap directory: its entries but the kubelet's own ({@code ..data} and the
     * timestamped directory it points to), symlinks followed.
     */
    public static Map<String, String> read(Path dir) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path entry : entries.toList()) {
                String name = entry.getFileName().toString();
                if (!name.startsWith("..") && Files.isRegularFile(entry)) {
                    files.put(name, Files.readString(entry, StandardCharsets.UTF_8));
                }
            }
        }
        return files;
    }

    /**
     * Checks the pinned directory, if the pod has one; names the directory and both digests when it differs, and
     * fails when a directory is pinned without a digest or the other way round.
     */
    public static void verify(UnaryOperator<String> env) throws IOException {
        String dir = env.apply(ENV_REQUESTS_DIR);
        String pinned = env.apply(ENV_REQUESTS_SHA256);
        if (dir == null && pinned == null) {
            return;
        }
        if (dir == null || pinned == null) {
            throw new InputChangedException("the Job pins its input files by " + ENV_REQUESTS_DIR + " and "
                    + ENV_REQUESTS_SHA256 + ", and only one of them is set");
        }
        String actual = digest(read(Path.of(dir)));
        if (!actual.equals(pinned)) {
            throw new InputChangedException("the run's input files in " + dir + " are not the ones the operator wrote "
                    + "(sha256 " + actual.substring(0, 12) + ", pinned " + pinned.substring(0, Math.min(12,
                    pinned.length())) + "): the ConfigMap was changed after the Job was made; nothing is run or "
                    + "reported on changed input");
        }
    }

    /** The pod environment that pins the files of {@code digest}, mounted at {@code dir}. */
    public static List<Map.Entry<String, String>> environment(String dir, String digest) {
        return List.of(Map.entry(ENV_REQUESTS_DIR, dir), Map.entry(ENV_REQUESTS_SHA256, digest));
    }

}
