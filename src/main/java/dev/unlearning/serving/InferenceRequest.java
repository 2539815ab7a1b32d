package dev.unlearning.serving;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A parsed and checked Open Inference Protocol v2 request: one FP32 input tensor whose first dimension is the
 * batch and whose other dimensions hold exactly one record of the model's input.
 *
 * <p>The body is read as a token stream straight into a float array, never as a JSON tree: a tree costs about
 * eight times the body (a 16 MiB body took some 130 MiB), and the values kept are capped at {@code maxBatch}
 * records, so a request's memory is its body plus four bytes per value the model can use.
 */
record InferenceRequest(String id, int records, float[] data) {

    private static final JsonFactory JSON = new JsonFactory();
    /** More dimensions than any model input has; a longer shape is an attack, not a tensor. */
    private static final int MAX_DIMENSIONS = 16;

    static InferenceRequest parse(InputStream body, LoadedModel model, int maxBatch) {
        try (JsonParser parser = JSON.createParser(body)) {
            return new Reader(parser, model.featuresPerRecord(), maxBatch).read().check(model, maxBatch);
        } catch (JsonProcessingException e) {
            throw ClientError.badRequest("the body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new IllegalStateException("reading a buffered request body", e);
        }
    }

    /** What the stream held, checked only once it is read, in the order a client fixes things. */
    private static final class Parsed {
        String id;
        int inputCount = -1;
        String datatype = "";
        List<String> shape;
        boolean shapeValid = true;
        boolean dataIsArray;
        boolean dataSeen;
        long dataCount;
        long firstNonNumber = -1;
        float[] values = new float[0];

        InferenceRequest check(LoadedModel model, int maxBatch) {
            if (inputCount != 1) {
                throw ClientError.badRequest("expected exactly one input tensor in \"inputs\"");
            }
            if (!"FP32".equals(datatype)) {
                throw ClientError.badRequest("input datatype must be FP32, not " + (datatype.isEmpty() ? "missing" : datatype));
            }
            if (shape == null || shape.isEmpty()) {
                throw ClientError.badRequest("input shape is missing");
            }
            String shapeText = "[" + String.join(",", shape) + "]";
            if (!shapeValid) {
                throw ClientError.badRequest("input shape must hold positive integers, got " + shapeText);
            }
            long total = 1;
            for (String d : shape) {
                total = Math.min(Long.MAX_VALUE / Integer.MAX_VALUE, total * Long.parseLong(d));
            }
            long records = Long.parseLong(shape.get(0));
            int perRecord = model.featuresPerRecord();
            if (total != records * perRecord) {
                throw ClientError.badRequest("input shape " + shapeText + " does not hold records of " + perRecord
                        + " features (model input " + Arrays.toString(model.inputShape()) + ")");
            }
            if (records > maxBatch) {
                throw new ClientError(413, "a batch of " + records + " records exceeds the limit of " + maxBatch
                        + " per request");
            }
            if (!dataSeen || !dataIsArray) {
                throw ClientError.badRequest("input data must be a flat array of numbers");
            }
            if (firstNonNumber >= 0) {
                throw ClientError.badRequest("input data[" + firstNonNumber + "] is not a number");
            }
            if (dataCount != total) {
                throw ClientError.badRequest("input data has " + dataCount + " values, shape " + shapeText + " needs " + total);
            }
            return new InferenceRequest(id, (int) records, Arrays.copyOf(values, (int) total));
        }
    }

    private static final class Reader {
        private final JsonParser parser;
        private final int maxValues;
        private final Parsed parsed = new Parsed();

        Reader(JsonParser parser, int perRecord, int maxBatch) {
            this.parser = parser;
            this.maxValues = (int) Math.min(Integer.MAX_VALUE - 8, (long) perRecord * maxBatch);
        }

        Parsed read() throws IOException {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw ClientError.badRequest("the body must be a JSON object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("id".equals(field) && value.isScalarValue()) {
                    parsed.id = parser.getValueAsString();
                } else if ("inputs".equals(field)) {
                    inputs(value);
                } else {
                    parser.skipChildren();
                }
            }
            return parsed;
        }

        private void inputs(JsonToken value) throws IOException {
            parsed.inputCount = 0;
            if (value != JsonToken.START_ARRAY) {
                parser.skipChildren();
                return;
            }
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                parsed.inputCount++;
                if (parsed.inputCount == 1 && parser.currentToken() == JsonToken.START_OBJECT) {
                    tensor();
                } else {
                    parser.skipChildren();
                }
            }
        }

        private void tensor() throws IOException {
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (field) {
                    case "datatype" -> parsed.datatype = value.isScalarValue() ? parser.getValueAsString("") : skipped();
                    case "shape" -> shape(value);
                    case "data" -> data(value);
                    default -> parser.skipChildren();
                }
            }
        }

        private String skipped() throws IOException {
            parser.skipChildren();
            return "";
        }

        private void shape(JsonToken value) throws IOException {
            List<String> dims = new ArrayList<>();
            if (value != JsonToken.START_ARRAY) {
                parser.skipChildren();
                parsed.shape = dims;
                return;
            }
            parsed.shapeValid = true;
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                boolean positiveInt = parser.currentToken() == JsonToken.VALUE_NUMBER_INT
                        && parser.getNumberType() == JsonParser.NumberType.INT && parser.getIntValue() >= 1;
                parsed.shapeValid &= positiveInt;
                String text = parser.currentToken().isScalarValue() ? parser.getText() : "…";
                parser.skipChildren();
                if (dims.size() < MAX_DIMENSIONS) {
                    dims.add(text);
                } else {
                    parsed.shapeValid = false;
                }
            }
            parsed.shape = dims;
        }

        private void data(JsonToken value) throws IOException {
            parsed.dataSeen = true;
            parsed.dataIsArray = value == JsonToken.START_ARRAY;
            parsed.dataCount = 0;
            parsed.firstNonNumber = -1;
            if (!parsed.dataIsArray) {
                parser.skipChildren();
                return;
            }
            float[] values = new float[Math.min(maxValues, 4096)];
            long count = 0;
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                if (!parser.currentToken().isNumeric()) {
                    if (parsed.firstNonNumber < 0) {
                        parsed.firstNonNumber = count;
                    }
                    parser.skipChildren();
                } else if (count < maxValues) {
                    if (count == values.length) {
                        values = Arrays.copyOf(values, (int) Math.min(maxValues, 2L * values.length));
                    }
                    values[(int) count] = parser.getFloatValue();
                }
                // Values past the cap are only counted: the request fails the shape or batch check anyway.
                count++;
            }
            parsed.dataCount = count;
            parsed.values = values;
        }
    }
}
