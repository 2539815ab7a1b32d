package dev.unlearning.serving;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import dev.unlearning.engine.lm.GreedyDecoder;
import java.util.UUID;

/**
 * The OpenAI-style completions bodies for a loaded language model: {@code /v1/completions} and the
 * {@code /v1/models} listing. Parsing and limits are {@link CompletionRequest}'s; HTTP is {@link InferenceServer}'s.
 */
final class CompletionsProtocol {

    private static final ObjectMapper JSON = new ObjectMapper();

    private CompletionsProtocol() {
    }

    /** The one model this server serves, with the version it runs once one is loaded. */
    static ObjectNode models(String modelName, LoadedModel model) {
        ObjectNode list = JSON.createObjectNode().put("object", "list");
        ObjectNode entry = list.putArray("data").addObject().put("id", modelName).put("object", "model")
                .put("owned_by", "unlearning-operator");
        if (model != null) {
            entry.put("version", Integer.toString(model.version()));
        }
        return list;
    }

    /** An OpenAI-style text_completion: one choice per prompt, greedy, with its token usage. */
    static ObjectNode complete(InputStream body, LoadedModel model, int maxBatch) {
        CompletionRequest parsed = CompletionRequest.parse(body, model, maxBatch);
        ObjectNode response = JSON.createObjectNode().put("id", "cmpl-" + UUID.randomUUID())
                .put("object", "text_completion").put("created", System.currentTimeMillis() / 1000)
                .put("model", model.name()).put("model_version", Integer.toString(model.version()));
        ArrayNode choices = response.putArray("choices");
        int promptTokens = 0;
        int completionTokens = 0;
        for (int i = 0; i < parsed.prompts().size(); i++) {
            GreedyDecoder.Completion c;
            try {
                c = model.generator().complete(parsed.prompts().get(i), parsed.maxTokens());
            } catch (IllegalArgumentException e) {
                throw ClientError.badRequest("prompt " + i + ": " + e.getMessage());
            }
            String text = parsed.cut(c.text());
            boolean stopped = c.finishReason() == GreedyDecoder.FinishReason.STOP || !text.equals(c.text());
            choices.addObject().put("text", text).put("index", i).putNull("logprobs")
                    .put("finish_reason", stopped ? "stop" : "length");
            promptTokens += c.promptTokens();
            completionTokens += c.completionTokens();
        }
        response.putObject("usage").put("prompt_tokens", promptTokens).put("completion_tokens", completionTokens)
                .put("total_tokens", promptTokens + completionTokens);
        return response;
    }
}
