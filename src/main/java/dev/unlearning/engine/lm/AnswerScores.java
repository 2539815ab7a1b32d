package dev.unlearning.engine.lm;

import dev.unlearning.engine.data.ByteTokenizer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;

/**
 * How a model scores a given continuation of a prompt: the log-probability of each of its tokens. TOFU's
 * answer probability is the per-token mean of these, exponentiated (P(answer | question)^(1/|answer|)).
 */
public final class AnswerScores {

    private final ByteTokenizer tokenizer = new ByteTokenizer();

    /** The mean log-probability per token of {@code answer} (then EOS) after BOS + {@code prompt}. */
    public double meanLogProbability(NextTokenModel model, String prompt, String answer) {
        int[] p = tokenizer.encode(prompt);
        int[] a = tokenizer.encode(answer);
        int length = 1 + p.length + a.length + 1;
        if (length > model.context() + 1) {
            throw new IllegalArgumentException("prompt and answer take " + length + " tokens; the model's context is "
                    + model.context());
        }
        int[] s = new int[length];
        s[0] = ByteTokenizer.BOS;
        System.arraycopy(p, 0, s, 1, p.length);
        System.arraycopy(a, 0, s, 1 + p.length, a.length);
        s[length - 1] = ByteTokenizer.EOS;
        try (NDManager scratch = model.manager().newSubManager()) {
            // Target t predicts token t + 1: the answer's first token is target p.length.
            TokenBatch batch = TokenBatch.of(scratch, List.of(s), new int[] {p.length});
            return -batch.meanTokenLoss(model.logProbabilities(batch.inputs())).getFloat();
        }
    }

    /** TOFU's answer probability: exp of the mean log-probability per answer token. */
    public double answerProbability(NextTokenModel model, String prompt, String answer) {
        return Math.exp(meanLogProbability(model, prompt, answer));
    }

    /**
     * TOFU's truth ratio: the geometric mean of the wrong answers' normalised probabilities over the paraphrased
     * right answer's. Below 1 the model prefers the truth; near 1 it cannot tell them apart, which is where a
     * model that never saw the fact sits.
     */
    public double truthRatio(NextTokenModel model, String prompt, String paraphrased, List<String> perturbed) {
        if (perturbed.isEmpty()) {
            throw new IllegalArgumentException("a truth ratio needs at least one wrong answer");
        }
        double wrong = 0;
        for (String answer : perturbed) {
            wrong += meanLogProbability(model, prompt, answer);
        }
        return Math.exp(wrong / perturbed.size() - meanLogProbability(model, prompt, paraphrased));
    }

    /** Each token's log-probability given BOS and the tokens before it (cut at the context): what min-k% reads. */
    public double[] tokenLogProbabilities(NextTokenModel model, String text) {
        int[] t = tokenizer.encode(text);
        int length = Math.min(t.length + 1, model.context() + 1);
        if (length < 2) {
            throw new IllegalArgumentException("an empty text has no tokens to score");
        }
        int[] s = new int[length];
        s[0] = ByteTokenizer.BOS;
        System.arraycopy(t, 0, s, 1, length - 1);
        try (NDManager scratch = model.manager().newSubManager()) {
            TokenBatch batch = TokenBatch.of(scratch, List.of(s), new int[] {0});
            float[] logp = batch.pickTargets(model.logProbabilities(batch.inputs())).toFloatArray();
            double[] out = new double[logp.length];
            for (int i = 0; i < logp.length; i++) {
                out[i] = logp[i];
            }
            return out;
        }
    }

    /** The model's greedy continuation of BOS + {@code prompt}, until EOS, {@code maxTokens} or the context. */
    public String greedy(NextTokenModel model, String prompt, int maxTokens) {
        return new GreedyDecoder().complete(model, prompt, maxTokens).text();
    }
}
