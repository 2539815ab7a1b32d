package dev.unlearning.testcluster;

import dev.unlearning.engine.data.FashionMnist;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * What fashion-mnist-cpu.yaml's comment says to copy onto its claim before applying it: the Fashion-MNIST files
 * under datasets/fashion-mnist/ and the made-up subject map under datasets/ (cluster.sh does the same for the
 * real node's volume).
 */
public final class ExampleClaim {

    private ExampleClaim() {
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
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
