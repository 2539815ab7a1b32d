package dev.unlearning.serving;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.unlearning.engine.EngineFixtures;
import dev.unlearning.engine.data.Splits;
import dev.unlearning.engine.evaluation.Ensemble;
import dev.unlearning.engine.evaluation.EvaluationReport;
import dev.unlearning.engine.evaluation.Evaluator;
import dev.unlearning.engine.training.ModelTraining;
import dev.unlearning.store.FileBlobStore;
import dev.unlearning.store.ModelRepository;
import dev.unlearning.store.VersionManifest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The Open Inference Protocol server over real HTTP, on a model trained from real Fashion-MNIST images. */
class InferenceServerTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path store;

    static Vertx vertx;
    InferenceServer server;
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    String base;
    static Splits data;
    static VersionManifest version;
    static EvaluationReport report;

    @BeforeAll
    static void serveATrainedModel() throws Exception {
        data = EngineFixtures.fashion(3000, 2000);
        ModelRepository repo = new ModelRepository(new FileBlobStore(store), "fashion").withIdKey(EngineFixtures.ID_KEY);
        version = new ModelTraining(repo, EngineFixtures.spec(3, 2, 2, store)).trainAll(data.train());
        try (Ensemble ensemble = Ensemble.load(repo, version)) {
            report = new Evaluator(1).evaluate(version.version(), version.ensembleDigest(), ensemble, data, new int[0],
                    new int[0], null, null);
        }
        vertx = Vertx.vertx();
    }

    @BeforeEach
    void startServer() throws Exception {
        // Batches of 500 test images per request, over the default of 256.
        server = new InferenceServer(vertx, "fashion", registry, new ServingLimits(2, 2, 500, null,
                Duration.ofSeconds(30), Duration.ofSeconds(30)));
        base = "http://127.0.0.1:" + server.start("127.0.0.1", 0);
    }

    @AfterEach
    void stopServer() throws Exception {
        server.close();
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get();
    }

    @Test
    void isLiveAtOnceReadyOnlyWhenLoadedAndPredictsWhatTheEvaluationMeasured() throws Exception {
        assertThat(get("/v2/health/live").statusCode()).isEqualTo(200);
        assertThat(get("/v2/health/ready").statusCode()).as("nothing loaded yet").isEqualTo(503);
        assertThat(get("/v2/models/fashion/ready").statusCode()).isEqualTo(503);

        ModelRepository repo = new ModelRepository(new FileBlobStore(store), "fashion").withIdKey(EngineFixtures.ID_KEY);
        server.load(LoadedModel.of(version, Ensemble.load(repo, version)));

        assertThat(get("/v2/health/ready").statusCode()).isEqualTo(200);
        HttpResponse<String> metadata = get("/v2/models/fashion");
        assertThat(metadata.headers().firstValue(InferenceServer.VERSION_HEADER)).hasValue("1");
        JsonNode meta = JSON.readTree(metadata.body());
        assertThat(meta.get("versions").get(0).asText()).isEqualTo("1");
        assertThat(meta.get("inputs").get(0).get("shape").toString()).isEqualTo("[-1,1,28,28]");

        int correct = 0;
        int total = data.test().size();
        for (int from = 0; from < total; from += 500) {
            int n = Math.min(500, total - from);
            HttpResponse<String> response = post("/v2/models/fashion/infer", inferBody(from, n, "FP32", n));
            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode output = JSON.readTree(response.body()).get("outputs").get(0);
            assertThat(output.get("shape").toString()).isEqualTo("[" + n + ",10]");
            for (int i = 0; i < n; i++) {
                int best = 0;
                for (int c = 1; c < 10; c++) {
                    if (output.get("data").get(i * 10 + c).floatValue() > output.get("data").get(i * 10 + best).floatValue()) {
                        best = c;
                    }
                }
                correct += best == data.test().label(from + i) ? 1 : 0;
            }
        }
        assertThat((double) correct / total).as("accuracy over HTTP equals the engine's evaluation")
                .isEqualTo(report.test().accuracy());
        assertThat(registry.find("oip.requests").tag("endpoint", "infer").tag("status", "200").timer().count())
                .isEqualTo((total + 499) / 500);
    }

    @Test
    void answersClientMistakesWith400Or404Or413NeverA500() throws Exception {
        ModelRepository repo = new ModelRepository(new FileBlobStore(store), "fashion").withIdKey(EngineFixtures.ID_KEY);
        server.load(LoadedModel.of(version, Ensemble.load(repo, version)));
        assertError(post("/v2/models/fashion/infer", inferBody(0, 2, "INT64", 2)), 400, "FP32");
        assertError(post("/v2/models/fashion/infer", inferBody(0, 2, "FP32", 3)), 400, "shape [3,1,28,28] needs 2352");
        assertError(post("/v2/models/fashion/infer", inferBody(0, 2, "FP32", 2)
                .replace("\"shape\":[2,1,28,28]", "\"shape\":[2,28,27]")), 400, "does not hold records");
        assertError(post("/v2/models/fashion/infer", "{not json"), 400, "not valid JSON");
        assertError(post("/v2/models/fashion/infer", "{\"inputs\": []}"), 400, "exactly one input");
        assertError(post("/v2/models/mnist/infer", inferBody(0, 1, "FP32", 1)), 404, "unknown model");
        assertError(post("/v2/models/fashion/versions/7/infer", inferBody(0, 1, "FP32", 1)), 404, "not loaded");
        assertError(post("/v2/models/fashion/infer", inferBody(0, 1000, "FP32", 1000)), 413,
                "a batch of 1000 records exceeds the limit of 500");
        assertError(get("/v2/nothing"), 404, "no such endpoint");
    }

    @Test
    void withABearerTokenOnlyTheHealthProbesAnswerWithoutIt() throws Exception {
        try (InferenceServer guarded = new InferenceServer(vertx, "fashion", registry, new ServingLimits(2, 2, 500, null,
                Duration.ofSeconds(30), Duration.ofSeconds(30)), "s3cret-token")) {
            String at = "http://127.0.0.1:" + guarded.start("127.0.0.1", 0);
            ModelRepository repo = new ModelRepository(new FileBlobStore(store), "fashion").withIdKey(EngineFixtures.ID_KEY);
            guarded.load(LoadedModel.of(version, Ensemble.load(repo, version)));

            assertThat(send(at, "/v2/health/ready", null, null).statusCode()).as("probes stay open").isEqualTo(200);
            HttpResponse<String> anonymous = send(at, "/v2/models/fashion/infer", inferBody(0, 1, "FP32", 1), null);
            assertError(anonymous, 401, "Authorization: Bearer");
            assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
            assertThat(send(at, "/v2/models/fashion", null, "Bearer not-it").statusCode()).isEqualTo(401);
            assertThat(send(at, "/v1/models", null, null).statusCode()).isEqualTo(401);
            assertThat(send(at, "/v2/models/fashion/infer", inferBody(0, 1, "FP32", 1), "Bearer s3cret-token")
                    .statusCode()).isEqualTo(200);
        }
    }

    private static HttpResponse<String> send(String at, String path, String body, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(at + path));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        request = body == null ? request.GET() : request.header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertError(HttpResponse<String> response, int status, String message) throws Exception {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(JSON.readTree(response.body()).get("error").asText()).contains(message);
    }

    /** {@code n} test images from {@code from}, declared as {@code declared} records. */
    private static String inferBody(int from, int n, String datatype, int declared) throws Exception {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode input = body.putArray("inputs").addObject().put("name", "input").put("datatype", datatype);
        input.putArray("shape").add(declared).add(1).add(28).add(28);
        ArrayNode values = input.putArray("data");
        float[] row = new float[784];
        for (int i = from; i < from + n; i++) {
            data.test().features().copyRow(i, row, 0);
            for (float v : row) {
                values.add(v);
            }
        }
        return JSON.writeValueAsString(body);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
