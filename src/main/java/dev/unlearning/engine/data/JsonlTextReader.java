package dev.unlearning.engine.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads a {@code jsonl} text dataset, one {@link TextRecord} per line. Every record needs an id, unique in the
 * file, and a text; a question needs its answer. A line that breaks this is refused with its line number, so a
 * forget request never runs against a file the operator misread.
 */
public final class JsonlTextReader {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private JsonlTextReader() {
    }

    public static List<TextRecord> read(Path file) throws IOException {
        List<TextRecord> records = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            while ((line = in.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                TextRecord record = parse(file, number, line);
                if (!ids.add(record.id())) {
                    throw new DataException(file + " line " + number + ": id " + record.id() + " appears twice");
                }
                records.add(record);
            }
        }
        if (records.isEmpty()) {
            throw new DataException(file + " holds no records");
        }
        return records;
    }

    private static TextRecord parse(Path file, int number, String line) throws DataException {
        TextRecord record;
        try {
            record = JSON.readValue(line, TextRecord.class);
        } catch (JsonProcessingException e) {
            throw new DataException(file + " line " + number + " is not a text record: " + e.getOriginalMessage());
        }
        if (record.id() == null || record.id().isBlank()) {
            throw new DataException(file + " line " + number + " has no id");
        }
        if (record.text() == null || record.text().isEmpty()) {
            throw new DataException(file + " line " + number + " (id " + record.id() + ") has no text");
        }
        if (record.question() != null && (record.answer() == null || record.answer().isEmpty())) {
            throw new DataException(file + " line " + number + " (id " + record.id() + ") has a question but no answer");
        }
        return record;
    }
}
