package dev.unlearning.engine.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Attaches data subjects to records from a {@code recordId,subjectId} CSV, so IDX data can be forgotten by person. */
public final class SubjectMap {

    private SubjectMap() {
    }

    public static Dataset apply(Dataset dataset, Path file) throws IOException {
        if (!Files.isReadable(file)) {
            throw new DataException(file + " (subject map) not found");
        }
        String[] subjects = new String[dataset.size()];
        try (BufferedReader in = Files.newBufferedReader(file)) {
            String line;
            int lineNo = 0;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (line.isBlank() || (lineNo == 1 && line.startsWith("recordId,"))) {
                    continue;
                }
                String[] cells = line.split(",", -1);
                if (cells.length != 2 || cells[0].isEmpty() || cells[1].isEmpty()) {
                    throw new DataException(file + ":" + lineNo + ": expected recordId,subjectId");
                }
                int row = dataset.ids().rowOf(cells[0]);
                if (row < 0) {
                    throw new DataException(file + ":" + lineNo + ": unknown record id " + cells[0]);
                }
                subjects[row] = cells[1];
            }
        }
        return dataset.withSubjects(subjects);
    }
}
