package dev.unlearning.engine.lm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.unlearning.engine.data.ByteTokenizer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.unlearning.engine.data.text.Corpus;
import dev.unlearning.engine.data.text.FictitiousAuthors;
import dev.unlearning.engine.data.TextRecord;
import dev.unlearning.engine.evaluation.LookAlikeComparison;
import dev.unlearning.engine.evaluation.Metrics;
import dev.unlearning.engine.evaluation.TextEvaluator;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * The byte tokenizer, the decoder's causal mask and that a small model trained on generated authors knows
 * their answers better than those of authors it never saw.
 */
class LanguageModelTest {

    static final LmArchitecture SMALL = new LmArchitecture(2, 2, 32, 48);

    @Test
    void anyTextSurvivesTheByteTokenizerAndSpecialTokensDecodeToNothing() {
        ByteTokenizer tokenizer = new ByteTokenizer();
        String text = "Zoë Ångström wrote 東京 at 9:05 — \"quoted\"\n";
        int[] tokens = tokenizer.encode(text);
        assertThat(tokens).hasSize(text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
        assertThat(java.util.Arrays.stream(tokens).boxed().toList()).allSatisfy(t -> assertThat(t).isBetween(3, ByteTokenizer.VOCABULARY - 1));
        assertThat(tokenizer.decode(tokens)).isEqualTo(text);
        int[] framed = new int[tokens.length + 2];
        framed[0] = ByteTokenizer.BOS;
        System.arraycopy(tokens, 0, framed, 1, tokens.length);
        framed[framed.length - 1] = ByteTokenizer.EOS;
        assertThat(tokenizer.decode(framed)).isEqualTo(text);
    }

    @Test
    void aPositionSeesOnlyItselfAndWhatCameBefore() {
        try (LanguageModel lm = LanguageModel.create(SMALL, 11); NDManager m = lm.manager().newSubManager()) {
            long[] a = new long[20];
            long[] b = new long[20];
            for (int i = 0; i < 20; i++) {
                a[i] = 3 + (i * 7) % 200;
                b[i] = i < 12 ? a[i] : 3 + (i * 13 + 5) % 200;
            }
            NDArray both = m.create(new long[][] {a, b});
            float[] logits = lm.logits(both).toFloatArray();
            int vocabulary = ByteTokenizer.VOCABULARY;
            int row = 20 * vocabulary;
            for (int t = 0; t < 12; t++) {
                for (int v = 0; v < vocabulary; v += 17) {
                    assertThat(logits[row + t * vocabulary + v]).as("position %d, the same prefix", t)
                            .isCloseTo(logits[t * vocabulary + v], Offset.offset(1e-4f));
                }
            }
            double later = 0;
            for (int v = 0; v < vocabulary; v++) {
                later += Math.abs(logits[row + 15 * vocabulary + v] - logits[15 * vocabulary + v]);
            }
            assertThat(later).as("position 15 sees the tokens that differ").isGreaterThan(1e-3);
            assertThat(lm.logits(m.zeros(new Shape(1, SMALL.context()), ai.djl.ndarray.types.DataType.INT64))
                    .getShape()).isEqualTo(new Shape(1, SMALL.context(), vocabulary));
            assertThatThrownBy(() -> lm.logits(m.zeros(new Shape(1, SMALL.context() + 1),
                    ai.djl.ndarray.types.DataType.INT64))).hasMessageContaining("exceeds the context of 48");
        }
    }

    @Test
    void anEnsembleAnswersWithTheMeanOfItsShardsDistributions() {
        try (LanguageModel a = LanguageModel.create(SMALL, 21); LanguageModel b = LanguageModel.create(SMALL, 22);
                NDManager m = a.manager().newSubManager()) {
            NDArray ids = m.create(new long[][] {{1, 40, 41, 42, 43, 44}, {1, 90, 91, 92, 93, 94}});
            float[] pa = a.logProbabilities(ids).exp().toFloatArray();
            float[] pb = b.logProbabilities(ids).exp().toFloatArray();
            LmEnsemble ensemble = new LmEnsemble(List.of(a, b));
            float[] mixed = ensemble.logProbabilities(ids).exp().toFloatArray();
            assertThat(pa).isNotEqualTo(pb);
            for (int i = 0; i < mixed.length; i++) {
                assertThat(mixed[i]).as("entry %d", i).isCloseTo((pa[i] + pb[i]) / 2, Offset.offset(1e-6f));
            }
            assertDistributions(mixed);

            // Posterior: each shard weighted by the probability it gave the tokens before the position.
            float[] posterior = new LmEnsemble(List.of(a, b), LmEnsemble.Aggregation.POSTERIOR).logProbabilities(ids)
                    .exp().toFloatArray();
            long[][] tokens = {{1, 40, 41, 42, 43, 44}, {1, 90, 91, 92, 93, 94}};
            int vocabulary = ByteTokenizer.VOCABULARY;
            for (int row = 0; row < 2; row++) {
                double wa = 1;
                double wb = 1;
                for (int t = 0; t < 6; t++) {
                    int at = (row * 6 + t) * vocabulary;
                    for (int v = 0; v < vocabulary; v += 13) {
                        double expected = (wa * pa[at + v] + wb * pb[at + v]) / (wa + wb);
                        assertThat((double) posterior[at + v]).as("row %d position %d token %d", row, t, v)
                                .isCloseTo(expected, Offset.offset(1e-5));
                    }
                    if (t < 5) {
                        wa *= pa[at + (int) tokens[row][t + 1]];
                        wb *= pb[at + (int) tokens[row][t + 1]];
                    }
                }
                assertThat(wa / wb).as("the prefix weights moved away from even").isNotCloseTo(1.0, Offset.offset(1e-3));
            }
            assertDistributions(posterior);
        }
        try (LanguageModel wide = LanguageModel.create(new LmArchitecture(1, 1, 8, 64), 1);
                LanguageModel narrow = LanguageModel.create(new LmArchitecture(1, 1, 8, 32), 1)) {
            assertThatThrownBy(() -> new LmEnsemble(List.of(wide, narrow))).hasMessageContaining("contexts 64 and 32");
        }
    }

    @Test
    void aModelTrainedOnAuthorsKnowsTheirAnswersBetterThanThoseOfAuthorsItNeverSaw() {
        Corpus corpus = FictitiousAuthors.generate(3, 4, 4, 4);
        List<TextRecord> trained = corpus.trainRecords().stream()
                .filter(r -> r.question() != null && !Corpus.WORLD.equals(r.subject())).toList();
        List<TextRecord> unseen = corpus.holdoutRecords().stream().filter(r -> r.question() != null).toList();
        LmArchitecture architecture = new LmArchitecture(2, 4, 64, 160);
        try (LanguageModel lm = LanguageModel.create(architecture, 5)) {
            List<Double> losses = new LmTraining(8, 3e-3).train(lm, trained, 40, 9);
            assertThat(losses.get(losses.size() - 1)).as("loss per token, last epoch against the first")
                    .isLessThan(losses.get(0) / 3);
            AnswerScores scores = new AnswerScores();
            double member = meanProbability(scores, lm, trained);
            double nonMember = meanProbability(scores, lm, unseen);
            assertThat(member).as("answer probability, trained authors").isGreaterThan(0.6);
            assertThat(member).as("against never-seen authors (%.3f)", nonMember).isGreaterThan(nonMember + 0.15);

            assertThat(meanRecall(scores, lm, trained)).as("ROUGE-L recall of greedy answers, trained authors")
                    .isGreaterThan(0.8);
            double unseenRecall = meanRecall(scores, lm, unseen);
            assertThat(unseenRecall).as("never-seen authors").isLessThan(0.8);

            double[] members = minK(scores, lm, trained);
            double[] nonMembers = minK(scores, lm, unseen);
            assertThat(Metrics.auc(members, nonMembers)).as("min-k%% membership AUC, trained vs never seen")
                    .isGreaterThan(0.8);

            TextScores known = TextScores.of(lm, trained.stream().map(r -> new ByteTokenizer().sequence(r.text(),
                    architecture.context())).toList());
            TextScores neverSeen = TextScores.of(lm, unseen.stream().map(r -> new ByteTokenizer().sequence(r.text(),
                    architecture.context())).toList());
            LookAlikeComparison gate = TextEvaluator.lookAlike(known, neverSeen,
                    Metrics.auc(known.minKProbability(), neverSeen.minKProbability()));
            assertThat(gate.forgetAccuracyGap()).as("next-token accuracy, trained over never-seen authors (%.3f)",
                    gate.lookAlikeAccuracy()).isGreaterThan(0.1);
            assertThat(gate.forgetAccuracyGap()).as("beyond what the relative gate allows, chance included: the "
                    + "gate would refuse this model as one that forgot them").isGreaterThan(0.02 + gate.forgetAccuracyGapNoise());
            assertThat(gate.miaAdvantage()).as("batched min-k%% scores agree with the one-by-one AUC")
                    .isCloseTo(Metrics.auc(members, nonMembers) - 0.5, Offset.offset(0.02));

            double trainedRatio = meanTruthRatio(scores, lm, trained);
            double unseenRatio = meanTruthRatio(scores, lm, unseen);
            assertThat(trainedRatio).as("truth ratio: a trained author's paraphrased answer beats the wrong ones "
                    + "more clearly than a never-seen author's (%.3f)", unseenRatio).isLessThan(unseenRatio);
        }
    }

    private static double meanRecall(AnswerScores scores, LanguageModel lm, List<TextRecord> records) {
        double sum = 0;
        for (TextRecord r : records) {
            sum += RougeL.recall(r.answer(), scores.greedy(lm, "Question: " + r.question() + "\nAnswer: ", 80));
        }
        return sum / records.size();
    }

    private static double[] minK(AnswerScores scores, LanguageModel lm, List<TextRecord> records) {
        return records.stream().mapToDouble(r -> MinKProbability.score(scores.tokenLogProbabilities(lm, r.text()), 0.2))
                .toArray();
    }

    private static double meanTruthRatio(AnswerScores scores, LanguageModel lm, List<TextRecord> records) {
        double sum = 0;
        for (TextRecord r : records) {
            sum += scores.truthRatio(lm, "Question: " + r.question() + "\nAnswer: ", r.paraphrasedAnswer(),
                    r.perturbedAnswers());
        }
        return sum / records.size();
    }

    private static void assertDistributions(float[] probabilities) {
        int vocabulary = ByteTokenizer.VOCABULARY;
        for (int position = 0; position < probabilities.length / vocabulary; position++) {
            double sum = 0;
            for (int v = 0; v < vocabulary; v++) {
                sum += probabilities[position * vocabulary + v];
            }
            assertThat(sum).as("position %d is a distribution", position).isCloseTo(1.0, Offset.offset(1e-4));
        }
    }

    private static double meanProbability(AnswerScores scores, LanguageModel lm, List<TextRecord> records) {
        double sum = 0;
        for (TextRecord r : records) {
            sum += scores.answerProbability(lm, "Question: " + r.question() + "\nAnswer: ", r.answer());
        }
        return sum / records.size();
    }
}
