package dev.unlearning.engine.lm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.unlearning.engine.data.text.Corpus;
import dev.unlearning.engine.data.text.FictitiousAuthors;
import dev.unlearning.engine.data.TextRecord;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Gradient difference and NPO on a model that memorised four authors: each makes the forgotten author's answers
 * far less likely than before and than the other authors' answers. Selectivity is what is checked, not a
 * retrain's level: the four authors' answers share every template word, so forgetting one costs the others
 * here (a sweep of learning rates 1e-4 to 3e-3 and 2 to 10 epochs found no setting of either method that halved
 * the forgotten answers' probability and kept the others' within 10%); the benchmark measures both against a
 * retrain on the full corpus.
 */
class LmUnlearningTest {

    static final LmArchitecture ARCHITECTURE = new LmArchitecture(2, 4, 64, 160);
    static final AnswerScores SCORES = new AnswerScores();
    /** Plain ascent needs a gentler step than NPO, whose push fades as a text becomes unlikely. */
    static final Map<LmUnlearning.Method, LmUnlearning.Settings> SETTINGS = Map.of(
            LmUnlearning.Method.GRADIENT_DIFFERENCE,
            new LmUnlearning.Settings(LmUnlearning.Method.GRADIENT_DIFFERENCE, 10, 4, 3e-4, 0.1, 1.0),
            LmUnlearning.Method.NPO, new LmUnlearning.Settings(LmUnlearning.Method.NPO, 10, 4, 3e-3, 0.1, 1.0));

    static List<TextRecord> forget;
    static List<TextRecord> retain;
    static byte[] trained;

    @BeforeAll
    static void trainOnFourAuthors() {
        Corpus corpus = FictitiousAuthors.generate(3, 4, 4, 4);
        List<TextRecord> qa = corpus.trainRecords().stream()
                .filter(r -> r.question() != null && !Corpus.WORLD.equals(r.subject())).toList();
        String forgotten = corpus.authors().get(0).id();
        forget = qa.stream().filter(r -> r.subject().equals(forgotten)).toList();
        retain = qa.stream().filter(r -> !r.subject().equals(forgotten)).toList();
        try (LanguageModel lm = LanguageModel.create(ARCHITECTURE, 5)) {
            new LmTraining(8, 3e-3).train(lm, qa, 40, 9);
            trained = lm.state();
        }
    }

    @ParameterizedTest
    @EnumSource(LmUnlearning.Method.class)
    void theForgottenAuthorsAnswersBecomeFarLessLikelyThanBeforeAndThanTheOthers(LmUnlearning.Method method)
            throws Exception {
        try (LanguageModel lm = LanguageModel.fromState(ARCHITECTURE, trained)) {
            double forgetBefore = meanProbability(lm, forget);
            assertThat(forgetBefore).as("memorised before").isGreaterThan(0.9);

            new LmUnlearning().run(lm, forget, retain, SETTINGS.get(method), 17);

            double forgetAfter = meanProbability(lm, forget);
            double retainAfter = meanProbability(lm, retain);
            assertThat(forgetAfter).as("%s: forgotten author, before %.3f", method, forgetBefore)
                    .isLessThan(forgetBefore / 3);
            assertThat(forgetAfter).as("%s: forgotten author against the others (%.3f)", method, retainAfter)
                    .isLessThan(retainAfter / 2);
        }
    }

    @Test
    void settingsThatCannotWorkAreRefused() {
        assertThatThrownBy(() -> new LmUnlearning.Settings(LmUnlearning.Method.NPO, 0, 4, 1e-3, 0.1, 1))
                .hasMessageContaining("must be positive");
        try (LanguageModel lm = LanguageModel.create(new LmArchitecture(1, 1, 8, 16), 1)) {
            var settings = new LmUnlearning.Settings(LmUnlearning.Method.NPO, 1, 4, 1e-3, 0.1, 1);
            assertThatThrownBy(() -> new LmUnlearning().run(lm, List.of(), retain, settings, 1))
                    .hasMessageContaining("nothing to forget");
            assertThatThrownBy(() -> new LmUnlearning().run(lm, forget, List.of(), settings, 1))
                    .hasMessageContaining("needs retain texts");
        }
    }

    private static double meanProbability(LanguageModel lm, List<TextRecord> records) {
        double sum = 0;
        for (TextRecord r : records) {
            sum += SCORES.answerProbability(lm, "Question: " + r.question() + "\nAnswer: ", r.answer());
        }
        return sum / records.size();
    }
}
