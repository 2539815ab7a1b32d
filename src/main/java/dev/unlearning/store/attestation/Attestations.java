package dev.unlearning.store;

import com.fasterxml.jackson.core.JsonProcessingException;
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
 * predicate what was forgotten or erased and how it was checked. Serialised with sorted keys and no whitespace,
 * so the same facts always give the same bytes (the signature itself covers the exact bytes either way).
 */
public final class Attestations {

    public static final String STATEMENT_TYPE = "https://in-toto.io/Statement/v1";
    public static final String UNLEARNING = "https://unlearning.dev/attestation/unlearning/v1";
    public static final String ERASURE = "https://unlearning.dev/attestation/erasure/v1";

    static final ObjectMapper CANONICAL = JsonMapper.builder()
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    private Attestations() {
    }

    /** How a statement names a model version: {@code <namespace>/<model>@v<version>}. */
    public static String subjectName(String namespace, String model, int version) {
        return namespace + "/" + model + "@v" + version;
    }

    public static byte[] statement(String subject, String sha256, String predicateType, Map<String, Object> predicate) {
        try {
            return CANONICAL.writeValueAsBytes(Map.of("_type", STATEMENT_TYPE,
                    "subject", List.of(Map.of("name", subject, "digest", Map.of("sha256", sha256))),
                    "predicateType", predicateType, "predicate", predicate));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("a predicate must be plain JSON values: " + e.getMessage(), e);
        }
    }

    public static JsonNode parse(byte[] statement) {
        try {
            JsonNode node = CANONICAL.readTree(statement);
            if (!STATEMENT_TYPE.equals(node.path("_type").asText())) {
                throw new Dsse.InvalidSignatureException("the payload is not an in-toto Statement v1");
            }
            return node;
        } catch (IOException e) {
            throw new Dsse.InvalidSignatureException("the payload is not JSON: " + e.getMessage());
        }
    }
}
