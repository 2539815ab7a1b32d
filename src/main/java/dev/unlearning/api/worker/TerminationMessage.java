package dev.unlearning.api.worker;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * How a {@link WorkerResult} travels in a container's termination message, which Kubernetes caps at 4096
 * bytes. An oversized result drops its largest list and map fields first and says {@code "truncated": true};
 * scalars (version, digests, counts) always survive. Decoding is strict: a field the record does not know is
 * an error naming the field, so a worker and an operator built from different contracts fail loudly.
 */
public final class TerminationMessage {

    public static final int LIMIT = 4096;
    static final String TRUNCATED = "truncated";

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    /** A decoded result and whether the worker had to drop fields to fit the limit. */
    public record Decoded<T extends WorkerResult>(T result, boolean truncated) {
    }

    /** A termination message that is not the expected result (a crash leaves log lines, not JSON). */
    public static final class UnreadableResultException extends Exception {
        UnreadableResultException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private TerminationMessage() {
    }

    public static byte[] encode(WorkerResult result) {
        ObjectNode node = JSON.valueToTree(result);
        byte[] bytes = bytes(node);
        if (bytes.length <= LIMIT) {
            return bytes;
        }
        List<String> containers = new ArrayList<>();
        node.fields().forEachRemaining(e -> {
            if (e.getValue().isContainerNode()) {
                containers.add(e.getKey());
            }
        });
        containers.sort(Comparator.comparingInt((String f) -> bytes(node.get(f)).length).reversed());
        node.put(TRUNCATED, true);
        for (String field : containers) {
            node.remove(field);
            bytes = bytes(node);
            if (bytes.length <= LIMIT) {
                return bytes;
            }
        }
        throw new IllegalStateException("a " + result.getClass().getSimpleName() + " does not fit "
                + LIMIT + " bytes even without its lists and maps");
    }

    public static String encodeToString(WorkerResult result) {
        return new String(encode(result), StandardCharsets.UTF_8);
    }

    public static <T extends WorkerResult> Decoded<T> decode(String message, Class<T> type)
            throws UnreadableResultException {
        if (message == null || message.isBlank()) {
            throw new UnreadableResultException("the worker left no termination message", null);
        }
        try {
            JsonNode node = JSON.readTree(message);
            if (!(node instanceof ObjectNode object)) {
                throw new UnreadableResultException("the termination message is not a JSON object", null);
            }
            boolean truncated = object.path(TRUNCATED).asBoolean(false);
            object.remove(TRUNCATED);
            return new Decoded<>(JSON.treeToValue(object, type), truncated);
        } catch (IOException e) {
            throw new UnreadableResultException("the termination message is not a " + type.getSimpleName() + ": "
                    + firstLine(e.getMessage()), e);
        }
    }

    private static byte[] bytes(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String firstLine(String text) {
        return text == null ? "" : text.lines().findFirst().orElse("");
    }
}
