package dev.unlearning.engine.lm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.unlearning.engine.data.DataException;
import dev.unlearning.engine.data.JsonlTextReader;
import dev.unlearning.engine.data.TextRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ROUGE-L and min-k% on cases worked by hand, and the jsonl reader's refusals. */
class LmMeasuresTest {

    @Test
    void rougeLCountsTheLongestCommonSubsequenceOfWords() {
        // Reference words: [she, was, born, in, oslo, in, 1961]; the answer keeps "she born in 1961" in order.
        assertThat(RougeL.recall("She was born in Oslo in 1961.", "she, born in Bergen: 1961"))
                .isCloseTo(4.0 / 7, Offset.offset(1e-9));
        // Precision 4/5, recall 4/7: F1 = 2 * (4/5) * (4/7) / (4/5 + 4/7) = 2/3.
        assertThat(RougeL.f1("She was born in Oslo in 1961.", "she, born in Bergen: 1961"))
                .isCloseTo(2.0 / 3, Offset.offset(1e-9));
        assertThat(RougeL.recall("Zoë Ångström", "zoë ångström")).as("letters beyond ASCII are words too").isEqualTo(1.0);
        assertThat(RougeL.recall("in order", "order in")).isEqualTo(0.5);
        assertThat(RougeL.recall("", "anything")).isZero();
        assertThat(RougeL.f1("something", "")).isZero();
    }

    @Test
    void minKAveragesTheLeastLikelyTokens() {
        double[] logp = {-0.1, -3.0, -0.2, -5.0, -0.3, -0.4, -0.5, -0.6, -0.7, -0.8};
        assertThat(MinKProbability.score(logp, 0.2)).as("the two lowest of ten").isCloseTo(-4.0, Offset.offset(1e-9));
        assertThat(MinKProbability.score(logp, 0.01)).as("at least one token").isCloseTo(-5.0, Offset.offset(1e-9));
        assertThat(MinKProbability.score(logp, 1.0)).isCloseTo(-1.16, Offset.offset(1e-9));
        assertThatThrownBy(() -> MinKProbability.score(logp, 0)).hasMessageContaining("(0, 1]");
        assertThatThrownBy(() -> MinKProbability.score(new double[0], 0.2)).hasMessageContaining("no tokens");
    }

    @Test
    void theReaderReadsRecordsAndRefusesWhatItCannotTrustNamingTheLine(@TempDir Path dir) throws Exception {
        Path good = dir.resolve("good.jsonl");
        Files.writeString(good, """
                {"id":"a-bio","subject":"a","text":"A was born in Oslo."}

                {"id":"a-qa-0","subject":"a","text":"Question: Where?\\nAnswer: Oslo.","question":"Where?","answer":"Oslo."}
                """);
        List<TextRecord> records = JsonlTextReader.read(good);
        assertThat(records).extracting(TextRecord::id).containsExactly("a-bio", "a-qa-0");
        assertThat(records.get(1).answer()).isEqualTo("Oslo.");

        assertRefused(dir, "{\"id\":\"x\",\"text\":\"t\"}\n{\"id\":\"x\",\"text\":\"u\"}\n", "line 2: id x appears twice");
        assertRefused(dir, "{\"text\":\"t\"}\n", "line 1 has no id");
        assertRefused(dir, "{\"id\":\"x\"}\n", "line 1 (id x) has no text");
        assertRefused(dir, "{\"id\":\"x\",\"text\":\"t\",\"question\":\"q\"}\n", "has a question but no answer");
        assertRefused(dir, "{\"id\":\"x\",\"text\":\"t\",\"txet\":\"typo\"}\n", "line 1 is not a text record");
        assertRefused(dir, "not json\n", "line 1 is not a text record");
        assertRefused(dir, "\n\n", "holds no records");
    }

    private static void assertRefused(Path dir, String content, String message) throws Exception {
        Path file = Files.createTempFile(dir, "bad", ".jsonl");
        Files.writeString(file, content);
        assertThatThrownBy(() -> JsonlTextReader.read(file)).isInstanceOf(DataException.class)
                .hasMessageContaining(message);
    }
}
