package dev.unlearning.engine.lm;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * ROUGE-L between a reference and a generated answer: the longest common subsequence of their words. TOFU
 * reports its recall (how much of the reference the answer reproduces, in order). Words are runs of letters
 * and digits, lower-cased, with no stemming: rouge_score's tokenizer keeps only ASCII {@code [a-z0-9]}, which
 * would drop the generated names' diacritics.
 */
public final class RougeL {

    private RougeL() {
    }

    /** LCS length over the reference's word count; 0 for an empty reference. */
    public static double recall(String reference, String candidate) {
        List<String> ref = words(reference);
        return ref.isEmpty() ? 0 : (double) lcs(ref, words(candidate)) / ref.size();
    }

    /** The harmonic mean of LCS recall and precision; 0 when either side has no words. */
    public static double f1(String reference, String candidate) {
        List<String> ref = words(reference);
        List<String> cand = words(candidate);
        int common = lcs(ref, cand);
        if (common == 0) {
            return 0;
        }
        double recall = (double) common / ref.size();
        double precision = (double) common / cand.size();
        return 2 * recall * precision / (recall + precision);
    }

    static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        text.toLowerCase(Locale.ROOT).codePoints().forEach(c -> {
            if (Character.isLetterOrDigit(c)) {
                word.appendCodePoint(c);
            } else if (word.length() > 0) {
                out.add(word.toString());
                word.setLength(0);
            }
        });
        if (word.length() > 0) {
            out.add(word.toString());
        }
        return out;
    }

    private static int lcs(List<String> a, List<String> b) {
        int[] previous = new int[b.size() + 1];
        int[] current = new int[b.size() + 1];
        for (String x : a) {
            for (int j = 1; j <= b.size(); j++) {
                current[j] = x.equals(b.get(j - 1)) ? previous[j - 1] + 1 : Math.max(previous[j], current[j - 1]);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.size()];
    }
}
