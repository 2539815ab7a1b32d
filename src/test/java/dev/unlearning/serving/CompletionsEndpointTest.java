package dev.unlearning.serving;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.unlearning.engine.lm.GreedyDecoder;
import dev.unlearning.engine.lm.LanguageModel;
import dev.unlearning.engine.lm.LmArchitecture;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A language-model version answers OpenAI-style completions over real HTTP: greedy only (anything else is
 * refused, not ignored), one choice per prompt, usage in tokens, the version in its header; and each family
 * points the other's clients to its own endpoint.
 */
@Timeout(120)
class CompletionsEndpointTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    static final Duration LONG = Duration.ofSeconds(30);

    static Vertx vertx;
    InferenceServer server;
    int port;

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopVertx() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get();
    }

    @AfterEach
    void stopServer() throws Exception {
        server.close();
    }

    /** Echoes the prompt reversed, ending with EOS unless the budget is smaller than the prompt. */
    static GreedyDecoder.Completion reversed(String prompt, int maxTokens) {
        if (prompt.length() > 40) {
            throw new IllegalArgumentException("the prompt takes " + prompt.length() + " tokens");
        }
        String all = new StringBuilder(prompt).reverse().toString();
        boolean fits = all.length() <= maxTokens;
        String text = fits ? all : all.substring(0, maxTokens);
        return new GreedyDecoder.Completion(text, prompt.length(), text.length(),
                fits ? GreedyDecoder.FinishReason.STOP : GreedyDecoder.FinishReason.LENGTH);
    }

    void serve(LoadedModel model) throws Exception {
        server = new InferenceServer(vertx, model.name(), new SimpleMeterRegistry(),
                new ServingLimits(2, 2, 4, null, LONG, LONG));
        port = server.start("127.0.0.1", 0);
        server.load(model);
    }

    LoadedModel authors(TextGenerator generator) {
        return new LoadedModel("authors", 3, "sha256:lm", new long[] {49}, 259, null, generator, 48);
    }

    @Test
    void promptsAreCompletedGreedilyOneChoiceEachWithUsageAndTheVersion() throws Exception {
        serve(authors(CompletionsEndpointTest::reversed));
        HttpResponse<String> one = post("/v1/completions", "{\"model\": \"authors\", \"prompt\": \"abc\", \"max_tokens\": 8}");
        assertThat(one.statusCode()).isEqualTo(200);
        assertThat(one.headers().firstValue(InferenceServer.VERSION_HEADER)).hasValue("3");
        JsonNode body = JSON.readTree(one.body());
        assertThat(body.get("object").asText()).isEqualTo("text_completion");
        assertThat(body.get("model").asText()).isEqualTo("authors");
        assertThat(body.get("choices")).hasSize(1);
        assertThat(body.get("choices").get(0).get("text").asText()).isEqualTo("cba");
        assertThat(body.get("choices").get(0).get("finish_reason").asText()).isEqualTo("stop");
        assertThat(body.get("usage").get("prompt_tokens").asInt()).isEqualTo(3);
        assertThat(body.get("usage").get("total_tokens").asInt()).isEqualTo(6);

        JsonNode two = JSON.readTree(post("/v1/completions",
                "{\"model\": \"authors\", \"prompt\": [\"hello\", \"xy-zw\"], \"max_tokens\": 3, \"stop\": \"-\", "
                        + "\"temperature\": 0, \"user\": \"auditor\"}").body());
        assertThat(two.get("choices")).hasSize(2);
        assertThat(two.get("choices").get(0).get("text").asText()).isEqualTo("oll");
        assertThat(two.get("choices").get(0).get("finish_reason").asText()).as("the budget ran out").isEqualTo("length");
        assertThat(two.get("choices").get(1).get("index").asInt()).isEqualTo(1);
        assertThat(two.get("choices").get(1).get("text").asText()).as("cut before the stop string").isEqualTo("wz");
        assertThat(two.get("choices").get(1).get("finish_reason").asText()).isEqualTo("stop");

        JsonNode models = JSON.readTree(get("/v1/models").body());
        assertThat(models.get("data").get(0).get("id").asText()).isEqualTo("authors");
        JsonNode metadata = JSON.readTree(get("/v2/models/authors").body());
        assertThat(metadata.get("parameters").get("endpoint").asText()).isEqualTo("/v1/completions");
    }

    @Test
    void whatGreedyDecodingCannotHonourIsRefusedNamingTheField() throws Exception {
        serve(authors(CompletionsEndpointTest::reversed));
        for (String field : List.of("\"temperature\": 0.7", "\"stream\": true", "\"n\": 2", "\"logprobs\": 3",
                "\"echo\": true", "\"top_p\": 0.9", "\"presence_penalty\": 0.5")) {
            HttpResponse<String> refused = post("/v1/completions",
                    "{\"model\": \"authors\", \"prompt\": \"abc\", " + field + "}");
            String name = field.substring(1, field.indexOf('"', 1));
            assertThat(refused.statusCode()).as(field).isEqualTo(400);
            assertThat(JSON.readTree(refused.body()).get("error").asText()).as(field).contains("\"" + name + "\"");
        }
        assertThat(post("/v1/completions", "{\"model\": \"other\", \"prompt\": \"abc\"}").statusCode()).isEqualTo(404);
        assertThat(post("/v1/completions", "{\"model\": \"authors\"}").statusCode()).isEqualTo(400);
        assertThat(post("/v1/completions", "{\"model\": \"authors\", \"prompt\": \"abc\", \"max_tokens\": 49}")
                .statusCode()).as("more than the context").isEqualTo(400);
        assertThat(post("/v1/completions", "{\"model\": \"authors\", \"prompt\": [\"a\", \"b\", \"c\", \"d\", \"e\"]}")
                .statusCode()).as("over the batch limit").isEqualTo(413);
        HttpResponse<String> tooLong = post("/v1/completions",
                "{\"model\": \"authors\", \"prompt\": \"" + "x".repeat(41) + "\"}");
        assertThat(tooLong.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(tooLong.body()).get("error").asText()).startsWith("prompt 0: the prompt takes 41");
        HttpResponse<String> tensors = post("/v2/models/authors/infer", "{\"inputs\": []}");
        assertThat(tensors.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(tensors.body()).get("error").asText()).contains("POST /v1/completions");
    }

    @Test
    void aClassifierSendsCompletionClientsToItsTensorEndpoint() throws Exception {
        serve(new LoadedModel("fmnist", 1, "sha256:c", new long[] {4}, 3, (flat, shape, n) -> new float[n * 3]));
        HttpResponse<String> response = post("/v1/completions", "{\"model\": \"fmnist\", \"prompt\": \"abc\"}");
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(response.body()).get("error").asText()).contains("POST /v2/models/fmnist/infer");
    }

    @Test
    void aRealLanguageModelAnswersWhatItsGreedyDecodingGives() throws Exception {
        try (LanguageModel lm = LanguageModel.create(new LmArchitecture(1, 2, 16, 48), 5)) {
            GreedyDecoder decoder = new GreedyDecoder();
            serve(authors((prompt, max) -> decoder.complete(lm, prompt, max)));
            GreedyDecoder.Completion direct = decoder.complete(lm, "Question: who?\nAnswer: ", 12);
            JsonNode body = JSON.readTree(post("/v1/completions",
                    "{\"model\": \"authors\", \"prompt\": \"Question: who?\\nAnswer: \", \"max_tokens\": 12}").body());
            assertThat(body.get("choices").get(0).get("text").asText()).isEqualTo(direct.text());
            assertThat(body.get("usage").get("completion_tokens").asInt()).isEqualTo(direct.completionTokens())
                    .isBetween(0, 12);
            assertThat(body.get("usage").get("prompt_tokens").asInt()).as("its bytes").isEqualTo(23);
        }
    }

    HttpResponse<String> post(String path, String json) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
