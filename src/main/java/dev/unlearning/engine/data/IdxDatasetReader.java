package dev.unlearning.engine.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads an MNIST-style directory: {@code train-images-idx3-ubyte[.gz]}, {@code train-labels-idx1-ubyte[.gz]}
 * and the same with {@code t10k-} for the test split. Record ids are {@code train-<row>} and
 * {@code test-<row>}: IDX files have no ids, and the row order of a published file never changes.
 */
public final class IdxDatasetReader {

    private IdxDatasetReader() {
    }

    public static Splits read(Path dir) throws IOException {
        Dataset train = read(dir, "train", "train", -1);
        Dataset test = read(dir, "t10k", "test", train.classes());
        return new Splits(train, test);
    }

    private static Dataset read(Path dir, String filePrefix, String idPrefix, int classes) throws IOException {
        IdxReader.IdxTensor images = IdxReader.read(find(dir, filePrefix + "-images-idx3-ubyte"));
        IdxReader.IdxTensor labels = IdxReader.read(find(dir, filePrefix + "-labels-idx1-ubyte"));
        if (images.count() != labels.count() || labels.itemSize() != 1) {
            throw new DataException(dir + ": " + images.count() + " " + filePrefix + " images but "
                    + labels.count() + " labels");
        }
        int[] labelValues = new int[labels.count()];
        int max = 0;
        for (int i = 0; i < labelValues.length; i++) {
            labelValues[i] = labels.data()[i] & 0xff;
            max = Math.max(max, labelValues[i]);
        }
        long[] shape = images.dims().length == 3
                ? new long[] {1, images.dims()[1], images.dims()[2]}
                : new long[] {images.itemSize()};
        return new Dataset(dir.getFileName() + "/" + idPrefix, RecordIds.indexed(idPrefix, images.count()),
                labelValues, null, new ByteFeatures(images.data(), images.itemSize()), shape,
                classes > 0 ? classes : max + 1);
    }

    private static Path find(Path dir, String base) throws DataException {
        for (Path candidate : new Path[] {dir.resolve(base + ".gz"), dir.resolve(base)}) {
            if (Files.isReadable(candidate)) {
                return candidate;
            }
        }
        throw new DataException(dir.resolve(base + ".gz") + " not found (install Debian's dataset-fashion-mnist, "
                + "or point the dataset uri at a directory with the IDX files)");
    }
}
