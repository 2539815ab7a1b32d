package dev.unlearning.bench;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** How one abuse scenario's attempts ended: an HTTP status, or how the connection failed without one. */
final class StatusCounts {

    /** The connection was reset or closed before any status arrived. */
    static final String NO_STATUS = "no status (connection closed or reset)";

    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

    void add(String outcome) {
        counts.computeIfAbsent(outcome, k -> new LongAdder()).increment();
    }

    /** A status, or a negative number for none. */
    void add(int status) {
        add(status < 0 ? NO_STATUS : Integer.toString(status));
    }

    long get(String outcome) {
        LongAdder n = counts.get(outcome);
        return n == null ? 0 : n.sum();
    }

    long total() {
        return counts.values().stream().mapToLong(LongAdder::sum).sum();
    }

    Map<String, Long> snapshot() {
        Map<String, Long> sorted = new TreeMap<>();
        counts.forEach((k, v) -> sorted.put(k, v.sum()));
        return sorted;
    }
}
