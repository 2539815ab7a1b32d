package dev.unlearning.serving;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;

/**
 * The KServe Open Inference Protocol v2 bodies for one loaded version: what an infer request gets back and what
 * the model's metadata says. Parsing and limits are {@link InferenceRequest}'s; HTTP is {@link InferenceServer}'s.
 */
final class OpenInferenceProtocol {

    private static final ObjectMapper JSON = new ObjectMapper();

    private OpenInferenceProtocol() {
    }

    /** Class probabilities for the request's records, as a v2 inference response. */
    static ObjectNode infer(InputStream body, LoadedModel model, int maxBatch) {
        InferenceRequest parsed = InferenceRequest.parse(body, model, maxBatch);
        float[] probabilities = model.predictor().probabilities(parsed.data(), model.inputShape(), parsed.records());
        ObjectNode response = JSON.createObjectNode()
                .put("model_name", model.name())
                .put("model_version", Integer.toString(model.version()));
        if (parsed.id() != null) {
            response.put("id", parsed.id());
        }
        ObjectNode output = response.putArray("outputs").addObject()
                .put("name", "probabilities").put("datatype", "FP32");
        output.putArray("shape").add(parsed.records()).add(model.classes());
        ArrayNode data = output.putArray("data");
        for (float p : probabilities) {
            data.add(p);
        }
        return response;
    }

    /** The v2 model metadata: a classifier's input and output tensors, or a language model's completion endpoint. */
    static ObjectNode metadata(LoadedModel model) {
        if (model.languageModel()) {
            ObjectNode metadata = JSON.createObjectNode().put("name", model.name())
                    .put("platform", "djl_pytorch_sisa_language_model");
            metadata.putArray("versions").add(Integer.toString(model.version()));
            metadata.putArray("inputs");
            metadata.putArray("outputs");
            metadata.putObject("parameters").put("digest", model.digest()).put("endpoint", "/v1/completions")
                    .put("context", model.context());
            return metadata;
        }
        ObjectNode metadata = JSON.createObjectNode().put("name", model.name()).put("platform", "djl_pytorch_sisa_ensemble");
        metadata.putArray("versions").add(Integer.toString(model.version()));
        ObjectNode input = metadata.putArray("inputs").addObject().put("name", "input").put("datatype", "FP32");
        ArrayNode shape = input.putArray("shape").add(-1);
        for (long d : model.inputShape()) {
            shape.add(d);
        }
        ObjectNode output = metadata.putArray("outputs").addObject().put("name", "probabilities").put("datatype", "FP32");
        output.putArray("shape").add(-1).add(model.classes());
        metadata.putObject("parameters").put("digest", model.digest());
        return metadata;
    }
}
