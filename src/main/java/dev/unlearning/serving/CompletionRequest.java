package dev.unlearning.serving;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * A checked OpenAI-style completions request (the {@code /v1/completions} API KServe's Hugging Face runtime
 * serves). Decoding is greedy: a field that would ask for anything else (sampling, several choices, streaming,
 * log-probabilities, penalties) is refused rather than ignored, so a client never reads an answer computed
 * differently from what it asked for. Fields that do not change the answer ({@code user}, {@code seed}) are
 * ignored.
 *
 * @param prompts one or more prompts, each answered by one choice with its index
 * @param maxTokens at most this many tokens (bytes) per completion; OpenAI's default is 16
 * @param stop strings that end a completion where they first occur, themselves left out
 */
record CompletionRequest(List<String> prompts, int maxTokens, List<String> stop) {

    /** OpenAI's default completion budget. */
    static final int DEFAULT_MAX_TOKENS = 16;
    private static final ObjectMapper JSON = new ObjectMapper();

    static CompletionRequest parse(InputStream body, LoadedModel model, int maxBatch) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw ClientError.badRequest("the body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new IllegalStateException("reading a buffered request body", e);
        }
        if (root == null || !root.isObject()) {
            throw ClientError.badRequest("the body must be a JSON object");
        }
        JsonNode name = root.get("model");
        if (name == null || !name.isTextual()) {
            throw ClientError.badRequest("\"model\" must name the model: " + model.name());
        }
        if (!name.asText().equals(model.name())) {
            throw new ClientError(404, "unknown model " + name.asText() + "; this server serves " + model.name());
        }
        refuseUnless(root, "temperature", n -> n.isNumber() && n.asDouble() == 0,
                "decoding is greedy: omit temperature or send 0");
        refuseUnless(root, "top_p", n -> n.isNumber() && n.asDouble() == 1, "decoding is greedy: omit top_p or send 1");
        refuseUnless(root, "n", n -> n.isIntegralNumber() && n.asInt() == 1, "one choice per prompt: omit n or send 1");
        refuseUnless(root, "best_of", n -> n.isIntegralNumber() && n.asInt() == 1, "omit best_of or send 1");
        refuseUnless(root, "stream", n -> n.isBoolean() && !n.asBoolean(), "streaming is not served: omit stream");
        refuseUnless(root, "echo", n -> n.isBoolean() && !n.asBoolean(), "echo is not served: omit it");
        refuseUnless(root, "logprobs", JsonNode::isNull, "log-probabilities are not served: omit logprobs");
        refuseUnless(root, "suffix", JsonNode::isNull, "insertion is not served: omit suffix");
        refuseUnless(root, "presence_penalty", n -> n.isNumber() && n.asDouble() == 0, "penalties are not served");
        refuseUnless(root, "frequency_penalty", n -> n.isNumber() && n.asDouble() == 0, "penalties are not served");
        refuseUnless(root, "logit_bias", n -> n.isNull() || (n.isObject() && n.isEmpty()), "logit_bias is not served");
        List<String> prompts = strings(root.get("prompt"), "prompt");
        if (prompts.isEmpty()) {
            throw ClientError.badRequest("\"prompt\" must be a string or a non-empty array of strings");
        }
        if (prompts.size() > maxBatch) {
            throw new ClientError(413, prompts.size() + " prompts exceed the batch limit of " + maxBatch);
        }
        int maxTokens = DEFAULT_MAX_TOKENS;
        JsonNode budget = root.get("max_tokens");
        if (budget != null && !budget.isNull()) {
            if (!budget.isIntegralNumber() || budget.asInt() < 0 || budget.asInt() > model.context()) {
                throw ClientError.badRequest("max_tokens must be a whole number from 0 to the model's context, "
                        + model.context());
            }
            maxTokens = budget.asInt();
        }
        List<String> stop = root.has("stop") && !root.get("stop").isNull() ? strings(root.get("stop"), "stop")
                : List.of();
        if (stop.size() > 4 || stop.stream().anyMatch(String::isEmpty)) {
            throw ClientError.badRequest("\"stop\" holds at most 4 non-empty strings");
        }
        return new CompletionRequest(prompts, maxTokens, stop);
    }

    /** The completion cut before the first stop string in it, if any. */
    String cut(String text) {
        int end = text.length();
        for (String s : stop) {
            int at = text.indexOf(s);
            if (at >= 0) {
                end = Math.min(end, at);
            }
        }
        return text.substring(0, end);
    }

    private interface Check {
        boolean ok(JsonNode value);
    }

    private static void refuseUnless(JsonNode root, String field, Check check, String why) {
        JsonNode value = root.get(field);
        if (value != null && !value.isNull() && !check.ok(value)) {
            throw ClientError.badRequest("\"" + field + "\": " + why);
        }
    }

    private static List<String> strings(JsonNode node, String field) {
        List<String> out = new ArrayList<>();
        if (node != null && node.isTextual()) {
            out.add(node.asText());
        } else if (node != null && node.isArray()) {
            for (JsonNode item : node) {
                if (!item.isTextual()) {
                    throw ClientError.badRequest("\"" + field + "\" must hold strings only");
                }
                out.add(item.asText());
            }
        } else {
            throw ClientError.badRequest("\"" + field + "\" must be a string or an array of strings");
        }
        return out;
    }
}
