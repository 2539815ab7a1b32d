package dev.unlearning.engine.lm;

import java.util.Arrays;

/**
 * The min-k% probability membership score (Shi et al., 2024, "Detecting Pretraining Data from Large Language
 * Models"): the mean log-probability of a text's k% least likely tokens. A text the model trained on has few
 * surprising tokens, so a higher score says "member"; an unlearned model should score its forgotten texts as it
 * scores texts it never saw.
 */
public final class MinKProbability {

    private MinKProbability() {
    }

    /**
     * @param tokenLogProbabilities each token's log-probability given the ones before it
     * @param fraction k as a fraction in (0, 1]; at least one token is always taken
     */
    public static double score(double[] tokenLogProbabilities, double fraction) {
        if (!(fraction > 0 && fraction <= 1)) {
            throw new IllegalArgumentException("k must be a fraction in (0, 1], not " + fraction);
        }
        if (tokenLogProbabilities.length == 0) {
            throw new IllegalArgumentException("a text of no tokens has no min-k% score");
        }
        double[] sorted = tokenLogProbabilities.clone();
        Arrays.sort(sorted);
        int k = Math.max(1, (int) Math.floor(fraction * sorted.length));
        double sum = 0;
        for (int i = 0; i < k; i++) {
            sum += sorted[i];
        }
        return sum / k;
    }
}
