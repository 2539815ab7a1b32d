package dev.unlearning.engine.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The Fashion-MNIST files as Debian's dataset-fashion-mnist package installs them. */
public final class FashionMnist {

    public static final Path DEBIAN_DIR = Path.of("/usr/share/datasets/fashion-mnist");
    public static final int CLASSES = 10;

    private FashionMnist() {
    }

    /** {@code FASHION_MNIST_DIR} if set, else the Debian package's directory. */
    public static Path defaultDir() {
        String dir = System.getenv("FASHION_MNIST_DIR");
        return dir == null || dir.isBlank() ? DEBIAN_DIR : Path.of(dir);
    }

    public enum Split {
        TRAIN("train"), TEST("t10k");

        final String prefix;

        Split(String prefix) {
            this.prefix = prefix;
        }
    }

    /** Images and labels of one split, checked to agree in count. */
    public record LabeledImages(IdxReader.IdxTensor images, IdxReader.IdxTensor labels) {
        public int count() {
            return images.count();
        }
    }

    public static LabeledImages load(Path dir, Split split) throws IOException {
        Path images = dir.resolve(split.prefix + "-images-idx3-ubyte.gz");
        Path labels = dir.resolve(split.prefix + "-labels-idx1-ubyte.gz");
        for (Path file : new Path[] {images, labels}) {
            if (!Files.isReadable(file)) {
                throw new IOException(file + " not found: install Debian's dataset-fashion-mnist package "
                        + "or point FASHION_MNIST_DIR at a directory holding the four Fashion-MNIST .gz files");
            }
        }
        LabeledImages data = new LabeledImages(IdxReader.read(images), IdxReader.read(labels));
        if (data.images().count() != data.labels().count() || data.labels().itemSize() != 1) {
            throw new IOException(dir + ": " + data.images().count() + " images but " + data.labels().count() + " labels");
        }
        return data;
    }
}
