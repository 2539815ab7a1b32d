package dev.unlearning.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Counts the API requests the API server's audit log saw from one client (by user agent) in a time window:
 * the ground truth for "API requests per UnlearningRequest", whatever the client thinks it sent.
 */
final class AuditLog {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Requests by "verb resource" (e.g. "create jobs") and in total. */
    record Counts(long total, Map<String, Long> byVerbAndResource) {
    }

    private final Path file;

    AuditLog(Path file) {
        this.file = file;
    }

    Counts count(Predicate<String> userAgent, Instant from, Instant to) throws Exception {
        Map<String, Long> counts = new TreeMap<>();
        Set<String> seen = new HashSet<>();
        long total = 0;
        try (BufferedReader lines = Files.newBufferedReader(file)) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                JsonNode event = JSON.readTree(line);
                // A watch logs ResponseStarted when it opens and ResponseComplete when it ends: count it once.
                if (!seen.add(event.path("auditID").asText()) || !userAgent.test(event.path("userAgent").asText())) {
                    continue;
                }
                Instant at = Instant.parse(event.path("requestReceivedTimestamp").asText());
                if (at.isBefore(from) || at.isAfter(to)) {
                    continue;
                }
                String resource = event.path("objectRef").path("resource").asText("");
                String sub = event.path("objectRef").path("subresource").asText("");
                String key = event.path("verb").asText() + " " + resource + (sub.isEmpty() ? "" : "/" + sub);
                counts.merge(key, 1L, Long::sum);
                total++;
            }
        }
        return new Counts(total, counts);
    }

    /** The user agents seen, with their request counts: shows who else talks to the API server. */
    Map<String, Long> userAgents() throws Exception {
        Map<String, Long> agents = new TreeMap<>();
        Set<String> seen = new HashSet<>();
        try (BufferedReader lines = Files.newBufferedReader(file)) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                JsonNode event = JSON.readTree(line);
                if (seen.add(event.path("auditID").asText())) {
                    String agent = event.path("userAgent").asText();
                    agents.merge(agent.contains("/") ? agent.substring(0, agent.indexOf('/')) : agent, 1L, Long::sum);
                }
            }
        }
        return agents;
    }
}
