package dev.unlearning.engine.lm;

import dev.unlearning.engine.data.ByteTokenizer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Greedy decoding for serving: the likeliest next token, one at a time, until EOS, the token budget or the
 * context. Deterministic, so a version answers a prompt the same way every time, which is what an auditor
 * probing a served model for a forgotten author's answers needs.
 */
public final class GreedyDecoder {

    /** Why a completion ended, in the OpenAI completions API's words. */
    public enum FinishReason {
        /** The model produced EOS. */
        STOP,
        /** The token budget or the context ran out first. */
        LENGTH
    }

    /** A prompt's continuation and the tokens each took (bytes; BOS and EOS not counted). */
    public record Completion(String text, int promptTokens, int completionTokens, FinishReason finishReason) {
    }

    private final ByteTokenizer tokenizer = new ByteTokenizer();

    /**
     * @throws IllegalArgumentException when BOS and the prompt leave no room in the context for one token
     */
    public Completion complete(NextTokenModel model, String prompt, int maxTokens) {
        int[] p = tokenizer.encode(prompt);
        int context = model.context();
        if (1 + p.length >= context) {
            throw new IllegalArgumentException("the prompt takes " + p.length + " tokens (bytes); the model's "
                    + "context of " + context + " leaves room for at most " + (context - 2));
        }
        int[] s = new int[context];
        s[0] = ByteTokenizer.BOS;
        System.arraycopy(p, 0, s, 1, p.length);
        int length = 1 + p.length;
        int promptEnd = length;
        FinishReason reason = FinishReason.LENGTH;
        try (NDManager scratch = model.manager().newSubManager()) {
            while (length < context && length - promptEnd < maxTokens) {
                long[] ids = new long[length];
                for (int i = 0; i < length; i++) {
                    ids[i] = s[i];
                }
                try (NDManager step = scratch.newSubManager()) {
                    NDArray logp = model.logProbabilities(step.create(ids, new Shape(1, length)));
                    int next = (int) logp.get(0, length - 1).argMax().getLong();
                    if (next == ByteTokenizer.EOS) {
                        reason = FinishReason.STOP;
                        break;
                    }
                    s[length++] = next;
                }
            }
        }
        return new Completion(tokenizer.decode(s, promptEnd, length), p.length, length - promptEnd, reason);
    }
}
