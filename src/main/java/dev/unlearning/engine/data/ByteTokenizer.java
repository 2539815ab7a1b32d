package dev.unlearning.engine.data;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Text as its UTF-8 bytes, each one token, after three special tokens. No vocabulary file is needed, so it
 * works offline and cannot drift from a hub's copy, and any text (names with diacritics included) encodes
 * without an unknown token; the cost is sequences about four times longer than a trained BPE's, which the
 * small generated corpus affords. DJL's HuggingFace tokenizers were checked (ai.djl.huggingface:tokenizers
 * 0.36.0 from Maven Central): the jar carries its linux-x86_64 native library, so it would load offline, but its
 * Java binding has no trainer, so the vocabulary it needs ({@code tokenizer.json}) could only come from a hub.
 */
public final class ByteTokenizer {

    public static final int PAD = 0;
    public static final int BOS = 1;
    public static final int EOS = 2;
    private static final int OFFSET = 3;
    public static final int VOCABULARY = 256 + OFFSET;

    /** The text's tokens, without BOS or EOS. */
    public int[] encode(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        int[] tokens = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            tokens[i] = (bytes[i] & 0xff) + OFFSET;
        }
        return tokens;
    }

    /**
     * The text as one training sequence for a model of this context: BOS, its bytes, EOS, at most context + 1
     * tokens (inputs are all but the last, targets all but the first). A text longer than that loses its end,
     * EOS included.
     */
    public int[] sequence(String text, int context) {
        int[] bytes = encode(text);
        int length = Math.min(bytes.length + 2, context + 1);
        int[] s = new int[length];
        s[0] = BOS;
        System.arraycopy(bytes, 0, s, 1, Math.min(bytes.length, length - 1));
        if (bytes.length + 2 <= context + 1) {
            s[length - 1] = EOS;
        }
        return s;
    }

    /**
     * The text of these tokens; special tokens are skipped, and bytes that are not valid UTF-8 (a generation cut
     * inside a character) become U+FFFD, as Java's decoder does.
     */
    public String decode(int[] tokens, int from, int to) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(to - from);
        for (int i = from; i < to; i++) {
            if (tokens[i] >= OFFSET && tokens[i] < VOCABULARY) {
                bytes.write(tokens[i] - OFFSET);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    public String decode(int[] tokens) {
        return decode(tokens, 0, tokens.length);
    }
}
