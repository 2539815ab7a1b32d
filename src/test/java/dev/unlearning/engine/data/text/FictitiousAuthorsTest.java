package dev.unlearning.engine.data.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.unlearning.engine.data.TextRecord;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.unlearning.cli.GenerateAuthorsCommand;
import dev.unlearning.engine.data.text.FictitiousAuthors.Author;
import dev.unlearning.engine.data.text.FictitiousAuthors.Question;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The generated authors corpus: reproducible, consistent with itself, and split as TOFU splits its authors. */
class FictitiousAuthorsTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theSameSeedWritesTheSameBytesAndAnotherSeedOtherAuthors(@TempDir Path dir) throws Exception {
        FictitiousAuthors.generate(7, 50, 5, 8).write(dir.resolve("a"));
        FictitiousAuthors.generate(7, 50, 5, 8).write(dir.resolve("b"));
        FictitiousAuthors.generate(8, 50, 5, 8).write(dir.resolve("c"));

        for (String file : List.of("train.jsonl", "holdout.jsonl", "splits.json")) {
            assertThat(Files.readAllBytes(dir.resolve("a").resolve(file))).as(file)
                    .isEqualTo(Files.readAllBytes(dir.resolve("b").resolve(file)));
        }
        assertThat(Files.readString(dir.resolve("c").resolve("train.jsonl")))
                .isNotEqualTo(Files.readString(dir.resolve("a").resolve("train.jsonl")));
    }

    @Test
    void everyAnswerIsAFactOfTheBiographyAndEveryWrongAnswerDiffersFromIt() {
        Corpus corpus = FictitiousAuthors.generate(7, 40, 4, 8);
        for (Author a : corpus.authors()) {
            String bio = FictitiousAuthors.biography(a);
            for (String fact : List.of(a.name(), a.city(), a.country(), Integer.toString(a.birthYear()), a.parentOne(),
                    a.parentTwo(), a.genre(), a.books().get(0), a.books().get(1), a.books().get(2),
                    Integer.toString(a.firstBookYear()), a.award(), a.theme(), a.home())) {
                assertThat(bio).as("%s: %s", a.id(), fact).contains(fact);
            }
            List<Question> questions = FictitiousAuthors.questions(a, corpus.countries(), corpus.seed());
            assertThat(questions).hasSize(10);
            for (Question q : questions) {
                assertThat(q.perturbedAnswers()).hasSize(3).doesNotContain(q.answer(), q.paraphrasedAnswer())
                        .doesNotHaveDuplicates();
                // In the paraphrase's wording: the same words before the fact that differs.
                String paraphrase = q.paraphrasedAnswer();
                for (String wrongAnswer : q.perturbedAnswers()) {
                    assertThat(wrongAnswer.substring(0, Math.min(6, wrongAnswer.length())))
                            .as("%s against %s", wrongAnswer, paraphrase)
                            .isEqualTo(paraphrase.substring(0, Math.min(6, paraphrase.length())));
                }
                assertThat(q.paraphrasedAnswer()).isNotEqualTo(q.answer());
            }
        }
    }

    @Test
    void forgetSplitsAreNestedTrainedAuthorsAndNoRecordIdRepeats() {
        Corpus corpus = FictitiousAuthors.generate(7, 200, 20, 12);
        var splits = corpus.forgetSplits();

        assertThat(splits.get("forget01")).hasSize(2);
        assertThat(splits.get("forget05")).hasSize(10).containsAll(splits.get("forget01"));
        assertThat(splits.get("forget10")).hasSize(20).containsAll(splits.get("forget05"));
        Set<String> trained = new HashSet<>(corpus.authors().stream().map(Author::id).toList());
        assertThat(trained).containsAll(splits.get("forget10"));

        Set<String> ids = new HashSet<>();
        for (TextRecord r : corpus.trainRecords()) {
            assertThat(ids.add(r.id())).as("unique id %s", r.id()).isTrue();
            assertThat(trained.contains(r.subject()) || r.subject().equals(Corpus.WORLD))
                    .as("%s belongs to a trained author or to the world facts", r.id()).isTrue();
        }
        for (TextRecord r : corpus.holdoutRecords()) {
            assertThat(ids.add(r.id())).as("unique id %s", r.id()).isTrue();
            assertThat(trained).as("never-trained authors are not trained ones").doesNotContain(r.subject());
        }
        Set<String> names = new HashSet<>();
        for (Author a : corpus.authors()) {
            assertThat(names.add(a.name())).as("unique name %s", a.name()).isTrue();
        }
        for (Author a : corpus.holdout()) {
            assertThat(names.add(a.name())).as("a never-trained author shares no name: %s", a.name()).isTrue();
        }
        assertThat(corpus.trainRecords()).hasSize(200 * 11 + 12 * 3);
    }

    @Test
    void theCommandWritesJsonlThatReadsBackAndRefusesTooFewCountries(@TempDir Path dir) throws Exception {
        int exit = new CommandLine(new GenerateAuthorsCommand()).execute("--out", dir.toString(), "--authors", "30",
                "--holdout", "3", "--seed", "11");

        assertThat(exit).isZero();
        List<String> lines = Files.readAllLines(dir.resolve("train.jsonl"));
        assertThat(lines).hasSize(30 * 11 + 12 * 3);
        JsonNode qa = JSON.readTree(lines.get(1));
        assertThat(qa.get("subject").asText()).isEqualTo("author-000");
        assertThat(qa.get("text").asText()).startsWith("Question: ").contains("\nAnswer: " + qa.get("answer").asText());
        assertThat(qa.get("perturbedAnswers")).hasSize(3);
        JsonNode bio = JSON.readTree(lines.get(0));
        assertThat(bio.has("question")).as("prose records carry no question fields").isFalse();
        JsonNode splits = JSON.readTree(dir.resolve("splits.json").toFile());
        assertThat(splits.get("forget10")).hasSize(3);
        assertThat(Files.readAllLines(dir.resolve("holdout.jsonl"))).hasSize(3 * 11);

        assertThat(new CommandLine(new GenerateAuthorsCommand()).execute("--out", dir.resolve("x").toString(),
                "--countries", "3")).isEqualTo(2);
        assertThatThrownBy(() -> FictitiousAuthors.generate(1, 0, 0, 4)).hasMessageContaining("at least 1 author");
    }
}
