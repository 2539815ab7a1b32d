package dev.unlearning.engine.data.text;

import dev.unlearning.engine.data.TextRecord;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.unlearning.engine.data.text.FictitiousAuthors.Author;
import dev.unlearning.engine.data.text.FictitiousAuthors.Country;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A generated corpus: the authors a model trains on, authors it never sees (non-members for a membership
 * attack), and the world facts it keeps. Written as {@code train.jsonl}, {@code holdout.jsonl} and
 * {@code splits.json}, whose forget splits name 1%, 5% and 10% of the trained authors, each containing the
 * smaller ones, as TOFU's forget01/05/10 do.
 */
public record Corpus(long seed, List<Author> authors, List<Author> holdout, List<Country> countries) {

    /** Subject of the world facts; no request should forget it. */
    public static final String WORLD = "world";

    /** Split name to the subjects (author ids) it forgets. */
    public static final Map<String, Double> FORGET_SPLITS = Map.of("forget01", 0.01, "forget05", 0.05, "forget10", 0.10);

    /** Every trained author's biography and questions, then the world facts, in a fixed order. */
    public List<TextRecord> trainRecords() {
        List<TextRecord> out = new ArrayList<>();
        for (Author a : authors) {
            out.addAll(records(a));
        }
        for (int c = 0; c < countries.size(); c++) {
            List<FictitiousAuthors.Question> facts = FictitiousAuthors.facts(countries.get(c), countries, seed);
            for (int q = 0; q < facts.size(); q++) {
                out.add(qa(String.format("world-%03d-qa-%d", c, q), WORLD, facts.get(q)));
            }
        }
        return out;
    }

    /** The never-trained authors' records, in the same form. */
    public List<TextRecord> holdoutRecords() {
        List<TextRecord> out = new ArrayList<>();
        for (Author a : holdout) {
            out.addAll(records(a));
        }
        return out;
    }

    /** forget01 ⊂ forget05 ⊂ forget10: prefixes of one seeded shuffle of the trained authors, at least one each. */
    public Map<String, List<String>> forgetSplits() {
        List<String> order = new ArrayList<>(authors.stream().map(Author::id).toList());
        Collections.shuffle(order, new Random(seed * 31 + 17));
        Map<String, List<String>> splits = new LinkedHashMap<>();
        for (String name : List.of("forget01", "forget05", "forget10")) {
            int n = Math.max(1, (int) Math.round(FORGET_SPLITS.get(name) * authors.size()));
            splits.put(name, List.copyOf(order.subList(0, Math.min(n, order.size()))));
        }
        return splits;
    }

    /** Writes train.jsonl, holdout.jsonl and splits.json into {@code dir}. */
    public void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        ObjectMapper json = new ObjectMapper();
        Files.writeString(dir.resolve("train.jsonl"), jsonl(json, trainRecords()), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("holdout.jsonl"), jsonl(json, holdoutRecords()), StandardCharsets.UTF_8);
        Map<String, Object> splits = new LinkedHashMap<>();
        splits.put("seed", seed);
        splits.putAll(forgetSplits());
        splits.put("authors", authors.size());
        splits.put("holdoutSubjects", holdout.stream().map(Author::id).toList());
        Files.writeString(dir.resolve("splits.json"),
                json.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(splits) + "\n",
                StandardCharsets.UTF_8);
    }

    private List<TextRecord> records(Author a) {
        List<TextRecord> out = new ArrayList<>();
        out.add(TextRecord.prose(a.id() + "-bio", a.id(), FictitiousAuthors.biography(a)));
        List<FictitiousAuthors.Question> questions = FictitiousAuthors.questions(a, countries, seed);
        for (int q = 0; q < questions.size(); q++) {
            out.add(qa(String.format("%s-qa-%02d", a.id(), q), a.id(), questions.get(q)));
        }
        return out;
    }

    private static String jsonl(ObjectMapper json, List<TextRecord> records) throws IOException {
        StringBuilder out = new StringBuilder();
        for (TextRecord r : records) {
            out.append(json.writeValueAsString(r)).append('\n');
        }
        return out.toString();
    }

    private static TextRecord qa(String id, String subject, FictitiousAuthors.Question q) {
        return TextRecord.qa(id, subject, q.question(), q.answer(), q.paraphrasedAnswer(), q.perturbedAnswers());
    }
}
