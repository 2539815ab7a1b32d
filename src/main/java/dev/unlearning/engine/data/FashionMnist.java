package dev.unlearning.engine.data;

import java.nio.file.Path;

/** Where the Fashion-MNIST files are: Debian's dataset-fashion-mnist package, or FASHION_MNIST_DIR. */
public final class FashionMnist {

    public static final Path DEBIAN_DIR = Path.of("/usr/share/datasets/fashion-mnist");

    private FashionMnist() {
    }

    public static Path defaultDir() {
        String dir = System.getenv("FASHION_MNIST_DIR");
        return dir == null || dir.isBlank() ? DEBIAN_DIR : Path.of(dir);
    }
}
