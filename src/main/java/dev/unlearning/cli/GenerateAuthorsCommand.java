package dev.unlearning.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.unlearning.api.worker.ExitCode;
import dev.unlearning.engine.data.text.Corpus;
import dev.unlearning.engine.data.text.FictitiousAuthors;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Writes the TOFU-like corpus of fictitious authors ({@link FictitiousAuthors}): the text data the language
 * model work of issue 17 trains on and forgets from, generated here rather than fetched from a hub.
 */
@Command(name = "generate-authors", description = "Write a TOFU-like corpus of fictitious authors (train.jsonl, "
        + "holdout.jsonl) and its forget splits (splits.json).")
public class GenerateAuthorsCommand implements Callable<Integer> {

    @Option(names = "--out", required = true, description = "Directory to write into")
    Path out;

    @Option(names = "--authors", defaultValue = "200", description = "Authors trained on (default: ${DEFAULT-VALUE})")
    int authors;

    @Option(names = "--holdout", defaultValue = "20",
            description = "Authors never trained on, the membership attack's non-members (default: ${DEFAULT-VALUE})")
    int holdout;

    @Option(names = "--countries", defaultValue = "12", description = "Fictitious countries, at least 4 (default: ${DEFAULT-VALUE})")
    int countries;

    @Option(names = "--seed", defaultValue = "7", description = "The same seed always writes the same files (default: ${DEFAULT-VALUE})")
    long seed;

    @Override
    public Integer call() throws Exception {
        Corpus corpus;
        try {
            corpus = FictitiousAuthors.generate(seed, authors, holdout, countries);
        } catch (IllegalArgumentException e) {
            System.err.println("generate-authors: " + e.getMessage());
            return ExitCode.INVALID_INPUT.code();
        }
        corpus.write(out);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("out", out.toString());
        summary.put("trainRecords", corpus.trainRecords().size());
        summary.put("holdoutRecords", corpus.holdoutRecords().size());
        corpus.forgetSplits().forEach((name, subjects) -> summary.put(name, subjects.size()));
        System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(summary));
        return 0;
    }
}
