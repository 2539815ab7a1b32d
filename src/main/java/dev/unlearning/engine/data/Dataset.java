package dev.unlearning.engine.data;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.Objects;

/**
 * Records with stable ids, labels, optional data-subject ids and features. Immutable; the {@code with...}
 * methods return altered copies for evaluation scenarios.
 *
 * @param inputShape shape of one record as the network sees it (e.g. {1, 28, 28} or {d})
 */
public record Dataset(String name, RecordIds ids, int[] labels, String[] subjects, FeatureMatrix features,
        long[] inputShape, int classes) {

    public Dataset {
        Objects.requireNonNull(ids, "ids");
        if (labels.length != ids.size() || features.rows() != ids.size()
                || (subjects != null && subjects.length != ids.size())) {
            throw new IllegalArgumentException(name + ": ids, labels, subjects and features disagree in length");
        }
        long product = Arrays.stream(inputShape).reduce(1, (a, b) -> a * b);
        if (product != features.dim()) {
            throw new IllegalArgumentException(name + ": input shape " + Arrays.toString(inputShape)
                    + " does not hold " + features.dim() + " features");
        }
        for (int label : labels) {
            if (label < 0 || label >= classes) {
                throw new IllegalArgumentException(name + ": label " + label + " outside [0, " + classes + ")");
            }
        }
    }

    public int size() {
        return labels.length;
    }

    /**
     * SHA-256 over every record in order (id, label, subject, features): a version records the digest of the
     * data it was trained on, so forgetting by id on other data is caught instead of hitting other records.
     */
    public String digest() {
        // Hashing the features costs a tenth of a second at 60k images, more than a one-record forget trains;
        // a Dataset never changes, so each one is hashed once (weakly held: data that goes away takes its entry).
        return DIGESTS.computeIfAbsent(this, Dataset::computeDigest);
    }

    private static final Map<Dataset, String> DIGESTS = Collections.synchronizedMap(new WeakHashMap<>());

    private String computeDigest() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            float[] row = new float[features.dim()];
            ByteBuffer bytes = ByteBuffer.allocate(4 * row.length);
            for (int r = 0; r < size(); r++) {
                sha.update((ids.id(r) + "\t" + labels[r] + "\t" + (subjects == null ? "" : subjects[r]) + "\n")
                        .getBytes(StandardCharsets.UTF_8));
                features.copyRow(r, row, 0);
                bytes.clear();
                bytes.asFloatBuffer().put(row);
                sha.update(bytes.array());
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    public String id(int row) {
        return ids.id(row);
    }

    public int label(int row) {
        return labels[row];
    }

    /** The record's data subject, or null when unknown. */
    public String subject(int row) {
        return subjects == null ? null : subjects[row];
    }

    /** The first {@code n} records, for quick runs and tests on a subset. */
    public Dataset head(int n) {
        if (n >= size()) {
            return this;
        }
        return new Dataset(name, ids.head(n), Arrays.copyOf(labels, n),
                subjects == null ? null : Arrays.copyOf(subjects, n), features.head(n), inputShape, classes);
    }

    public Dataset withSubjects(String[] newSubjects) {
        return new Dataset(name, ids, labels, newSubjects, features, inputShape, classes);
    }

    public Dataset withRecords(int[] rows, float[][] newFeatures, int[] newLabels) {
        int[] labelsCopy = labels.clone();
        for (int i = 0; i < rows.length; i++) {
            labelsCopy[rows[i]] = newLabels[i];
        }
        return new Dataset(name, ids, labelsCopy, subjects, features.withRows(rows, newFeatures), inputShape, classes);
    }
}
