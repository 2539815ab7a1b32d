package dev.unlearning.engine.data;

import java.util.Arrays;
import java.util.List;

/**
 * Text records as a {@link Dataset}, so that placement, slices, tombstones, memberships and the data digest work
 * for a language model exactly as for a classifier. A record's features are its training sequence (BOS, its
 * bytes, EOS, cut at the context) as token ids, right-padded with PAD; the digest therefore covers exactly the
 * tokens a model trains on. A text record has no class: every label is 0 and {@code classes} is the vocabulary,
 * which is what a language model predicts over.
 */
public final class TextDatasets {

    private static final ByteTokenizer TOKENIZER = new ByteTokenizer();

    private TextDatasets() {
    }

    public static Dataset of(String name, List<TextRecord> records, int context) {
        int width = context + 1;
        float[] tokens = new float[records.size() * width];
        String[] subjects = new String[records.size()];
        for (int r = 0; r < records.size(); r++) {
            int[] sequence = TOKENIZER.sequence(records.get(r).text(), context);
            for (int t = 0; t < sequence.length; t++) {
                tokens[r * width + t] = sequence[t];
            }
            subjects[r] = records.get(r).subject();
        }
        return new Dataset(name, RecordIds.explicit(records.stream().map(TextRecord::id).toList()),
                new int[records.size()], subjects, new FloatFeatures(tokens, width), new long[] {width},
                ByteTokenizer.VOCABULARY);
    }

    /** A record's training sequence, without its padding (PAD is never a real token). */
    public static int[] sequence(Dataset data, int row) {
        float[] padded = new float[data.features().dim()];
        data.features().copyRow(row, padded, 0);
        int length = padded.length;
        while (length > 0 && padded[length - 1] == ByteTokenizer.PAD) {
            length--;
        }
        int[] sequence = new int[length];
        for (int t = 0; t < length; t++) {
            sequence[t] = (int) padded[t];
        }
        return sequence;
    }

    /** The sequences of {@code rows[from..to)}. */
    public static List<int[]> sequences(Dataset data, int[] rows, int from, int to) {
        return Arrays.stream(rows, from, to).mapToObj(r -> sequence(data, r)).toList();
    }
}
