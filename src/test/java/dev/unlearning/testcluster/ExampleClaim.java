package dev.unlearning.testcluster;

import dev.unlearning.cli.GenerateAuthorsCommand;
import dev.unlearning.engine.data.FashionMnist;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/**
 * What fashion-mnist-cpu.yaml's comment says to copy onto its claim before applying it: the Fashion-MNIST files
 * under datasets/fashion-mnist/ and the made-up subject map under datasets/ (cluster.sh does the same for the
 * real node's volume); and what authors-lm.yaml's comment says to generate there: the corpus under datasets/authors/.
 */
public final class ExampleClaim {

    private ExampleClaim() {
    }

    /**
     * What authors-lm.yaml's comment says to run from the volume's root, run as written through the CLI the
     * image's entrypoint is: the corpus under datasets/authors/.
     */
    static void writeAuthors(Path claimRoot) {
        String line = DocumentedCommands.fromComment(ProjectPaths.root().resolve("manifests/examples/authors-lm.yaml"),
                "corpus: ");
        List<String> words = new ArrayList<>(DocumentedCommands.words(line));
        if (!words.get(0).equals("generate-authors")) {
            throw new IllegalStateException("authors-lm.yaml's corpus line runs " + words.get(0));
        }
        int out = words.indexOf("--out");
        words.set(out + 1, claimRoot.resolve(words.get(out + 1)).toString());
        int exit = new CommandLine(new GenerateAuthorsCommand()).execute(words.subList(1, words.size())
                .toArray(String[]::new));
        if (exit != 0) {
            throw new IllegalStateException("generate-authors exited " + exit);
        }
    }

    /** Fills the claim whose contents are at {@code claimRoot}. */
    public static void fill(Path claimRoot) {
        try {
            Path datasets = Files.createDirectories(claimRoot.resolve("datasets"));
            Path fashion = Files.createDirectories(datasets.resolve("fashion-mnist"));
            try (var files = Files.list(FashionMnist.defaultDir())) {
                for (Path file : files.filter(f -> f.getFileName().toString().endsWith("-ubyte.gz")).toList()) {
                    Files.copy(file, fashion.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Files.copy(ProjectPaths.root().resolve("manifests/examples/data/fashion-mnist-subjects.csv"),
                    datasets.resolve("fashion-mnist-subjects.csv"), StandardCopyOption.REPLACE_EXISTING);
            writeAuthors(claimRoot);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
