package dev.unlearning.testcluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Commands as the documentation writes them, so a test runs exactly what a reader would paste: the fenced
 * {@code bash} block under a README heading (continuation lines joined), or the command a manifest's comment
 * tells the reader to run.
 */
public final class DocumentedCommands {

    private DocumentedCommands() {
    }

    /** Every command of the first {@code ```bash} block after {@code heading}, in order. */
    public static List<String> readmeBlock(Path readme, String heading) {
        List<String> lines = lines(readme);
        int at = lines.indexOf(heading);
        if (at < 0) {
            throw new IllegalStateException(readme + " has no heading " + heading);
        }
        int open = at + 1;
        while (open < lines.size() && !lines.get(open).equals("```bash")) {
            open++;
        }
        List<String> commands = new ArrayList<>();
        StringBuilder command = new StringBuilder();
        for (int i = open + 1; i < lines.size() && !lines.get(i).equals("```"); i++) {
            String line = lines.get(i);
            if (line.endsWith("\\")) {
                command.append(line, 0, line.length() - 1);
                continue;
            }
            command.append(line);
            if (!command.toString().isBlank()) {
                commands.add(command.toString().strip());
            }
            command.setLength(0);
        }
        if (commands.isEmpty()) {
            throw new IllegalStateException("no bash block under " + heading + " in " + readme);
        }
        return commands;
    }

    /** The command a YAML comment gives after {@code marker} (e.g. "serve only after: kubectl ..."). */
    public static String fromComment(Path manifest, String marker) {
        return lines(manifest).stream().filter(l -> l.contains("#") && l.contains(marker))
                .map(l -> l.substring(l.indexOf(marker) + marker.length()).strip()).findFirst()
                .orElseThrow(() -> new IllegalStateException(manifest + " has no comment with " + marker));
    }

    /**
     * A command line split into words as a POSIX shell would (single and double quotes, a trailing comment),
     * for the lines a test runs through a library instead of a binary.
     */
    public static List<String> words(String command) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < command.length(); i++) {
            char c = command.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else if (c == '#' && !inWord) {
                break;
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (quote != 0) {
            throw new IllegalArgumentException("unclosed quote in: " + command);
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
