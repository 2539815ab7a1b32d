package dev.unlearning.engine.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Reads {@code id,subject,label,f0..fn} with a header line. An empty subject means "unknown". Features are
 * floats fed to the network as they are (scale them before export).
 */
public final class CsvDatasetReader {

    private CsvDatasetReader() {
    }

    public static Dataset read(Path file, String name, int classes) throws IOException {
        if (!Files.isReadable(file)) {
            throw new DataException(file + " not found");
        }
        List<String> ids = new ArrayList<>();
        List<String> subjects = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        float[] features = new float[1024];
        int dim = -1;
        int rows = 0;
        try (BufferedReader in = Files.newBufferedReader(file)) {
            String header = in.readLine();
            if (header == null || !header.startsWith("id,subject,label,")) {
                throw new DataException(file + ": header must start with id,subject,label,f0,...");
            }
            dim = header.split(",", -1).length - 3;
            String line;
            int lineNo = 1;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                String[] cells = line.split(",", -1);
                if (cells.length != dim + 3) {
                    throw new DataException(file + ":" + lineNo + ": " + cells.length + " columns, header has " + (dim + 3));
                }
                ids.add(cells[0]);
                subjects.add(cells[1].isEmpty() ? null : cells[1]);
                try {
                    labels.add(Integer.parseInt(cells[2]));
                    if (features.length < (rows + 1) * dim) {
                        features = Arrays.copyOf(features, Math.max(features.length * 2, (rows + 1) * dim));
                    }
                    for (int j = 0; j < dim; j++) {
                        features[rows * dim + j] = Float.parseFloat(cells[3 + j]);
                    }
                } catch (NumberFormatException e) {
                    throw new DataException(file + ":" + lineNo + ": " + e.getMessage());
                }
                rows++;
            }
        }
        if (rows == 0) {
            throw new DataException(file + ": no records");
        }
        int[] labelArray = labels.stream().mapToInt(Integer::intValue).toArray();
        int max = Arrays.stream(labelArray).max().orElse(0);
        try {
            return new Dataset(name, RecordIds.explicit(ids), labelArray,
                    subjects.stream().allMatch(Objects::isNull) ? null : subjects.toArray(String[]::new),
                    new FloatFeatures(Arrays.copyOf(features, rows * dim), dim), new long[] {dim},
                    classes > 0 ? classes : max + 1);
        } catch (IllegalArgumentException e) {
            throw new DataException(file + ": " + e.getMessage());
        }
    }
}
