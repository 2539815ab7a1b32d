package dev.unlearning.serving;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;

/**
 * A parsed and checked Open Inference Protocol v2 request: one FP32 input tensor whose first dimension is the
 * batch and whose other dimensions hold exactly one record of the model's input.
 */
record InferenceRequest(String id, int records, float[] data) {

    static InferenceRequest parse(JsonNode body, LoadedModel model) {
        if (body == null || !body.isObject()) {
            throw new BadRequest("the body must be a JSON object");
        }
        JsonNode inputs = body.get("inputs");
        if (inputs == null || !inputs.isArray() || inputs.size() != 1) {
            throw new BadRequest("expected exactly one input tensor in \"inputs\"");
        }
        JsonNode input = inputs.get(0);
        String datatype = input.path("datatype").asText("");
        if (!"FP32".equals(datatype)) {
            throw new BadRequest("input datatype must be FP32, not " + (datatype.isEmpty() ? "missing" : datatype));
        }
        JsonNode shape = input.get("shape");
        if (shape == null || !shape.isArray() || shape.isEmpty()) {
            throw new BadRequest("input shape is missing");
        }
        long total = 1;
        for (JsonNode d : shape) {
            if (!d.canConvertToInt() || d.asInt() < 1) {
                throw new BadRequest("input shape must hold positive integers, got " + shape);
            }
            total *= d.asLong();
        }
        int records = shape.get(0).asInt();
        int perRecord = model.featuresPerRecord();
        if (total != (long) records * perRecord) {
            throw new BadRequest("input shape " + shape + " does not hold records of " + perRecord
                    + " features (model input " + Arrays.toString(model.inputShape()) + ")");
        }
        JsonNode data = input.get("data");
        if (data == null || !data.isArray()) {
            throw new BadRequest("input data must be a flat array of numbers");
        }
        if (data.size() != total) {
            throw new BadRequest("input data has " + data.size() + " values, shape " + shape + " needs " + total);
        }
        float[] values = new float[(int) total];
        for (int i = 0; i < values.length; i++) {
            JsonNode v = data.get(i);
            if (!v.isNumber()) {
                throw new BadRequest("input data[" + i + "] is not a number");
            }
            values[i] = v.floatValue();
        }
        return new InferenceRequest(body.path("id").asText(null), records, values);
    }

    /** A request the client must fix: answered with 400 and the reason. */
    static final class BadRequest extends RuntimeException {
        BadRequest(String message) {
            super(message);
        }
    }
}
