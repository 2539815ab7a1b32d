package dev.unlearning.store.attestation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The in-toto Statements certificates sign: the subject is the model version (its ensemble digest), the
 * predicate what was forgotten or erased and how it was checked ({@link UnlearningPredicate},
 * {@link ErasurePredicate}). Serialised with sorted keys and no whitespace, so the same facts always give the same
 * bytes (the signature itself covers the exact bytes either way). Read back strictly: a field the predicate type
 * does not have, or one it has that is missing, makes the statement unreadable rather than silently partial.
 */
public final class Attestations {

    public static final String STATEMENT_TYPE = "https://in-toto.io/Statement/v1";
    public static final String UNLEARNING = "https://unlearning.dev/attestation/unlearning/v1";
    public static final String ERASURE = "https://unlearning.dev/attestation/erasure/v1";

    static final ObjectMapper CANONICAL = JsonMapper.builder()
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    /** A statement's one subject: the version it is about. */
    public record Subject(String name, String sha256) {
    }

    /** A parsed statement. */
    public record Statement(Subject subject, Predicate predicate) {
    }

    private Attestations() {
    }

    /** How a statement names a model version: {@code <namespace>/<model>@v<version>}. */
    public static String subjectName(String namespace, String model, int version) {
        return namespace + "/" + model + "@v" + version;
    }

    public static byte[] statement(Subject subject, Predicate predicate) {
        try {
            return CANONICAL.writeValueAsBytes(Map.of("_type", STATEMENT_TYPE,
                    "subject", List.of(Map.of("name", subject.name(), "digest", Map.of("sha256", subject.sha256()))),
                    "predicateType", predicate.type(), "predicate", predicate));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("a predicate must be plain JSON values: " + e.getMessage(), e);
        }
    }

    /** The statement in {@code bytes}, its predicate read as the type its predicateType names. */
    public static Statement parse(byte[] bytes) {
        JsonNode node;
        try {
            node = CANONICAL.readTree(bytes);
        } catch (IOException e) {
            throw new Dsse.InvalidSignatureException("the payload is not JSON: " + e.getMessage());
        }
        if (!STATEMENT_TYPE.equals(node.path("_type").asText())) {
            throw new Dsse.InvalidSignatureException("the payload is not an in-toto Statement v1");
        }
        JsonNode subject = node.path("subject").path(0);
        String type = node.path("predicateType").asText();
        Class<? extends Predicate> predicateClass = switch (type) {
            case UNLEARNING -> UnlearningPredicate.class;
            case ERASURE -> ErasurePredicate.class;
            default -> throw new IllegalArgumentException("unknown predicate type " + type);
        };
        try {
            return new Statement(new Subject(subject.path("name").asText(), subject.path("digest").path("sha256")
                    .asText()), CANONICAL.treeToValue(node.path("predicate"), predicateClass));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the " + type + " predicate does not read as one: "
                    + e.getOriginalMessage());
        }
    }
}
