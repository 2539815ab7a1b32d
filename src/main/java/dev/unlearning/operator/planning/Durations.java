package dev.unlearning.operator.planning;

import java.time.Duration;

/** Durations as the API writes them: a number and a unit (s, m, h, d), e.g. 24h. */
public final class Durations {

    private Durations() {
    }

    public static Duration parse(String text) {
        if (text == null || !text.matches("[0-9]+[smhd]")) {
            throw new IllegalArgumentException("not a duration like 24h, 90m, 7d: " + text);
        }
        long amount = Long.parseLong(text.substring(0, text.length() - 1));
        return switch (text.charAt(text.length() - 1)) {
            case 's' -> Duration.ofSeconds(amount);
            case 'm' -> Duration.ofMinutes(amount);
            case 'h' -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        };
    }
}
