package dev.unlearning.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The server's limits over real HTTP and raw sockets, on a four-feature model whose prediction the test
 * holds or fails at will: admission (429), body limits (413), timeouts (408, 503, idle connections) and
 * internal failures (500 without internal text).
 */
@Timeout(120)
class InferenceServerLimitsTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    static final String INFER = "/v2/models/toy/infer";
    static final Duration LONG = Duration.ofSeconds(30);

    static Vertx vertx;
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final HeldPredictor predictor = new HeldPredictor();
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
        predictor.release();
        server.close();
    }

    void serve(ServingLimits limits) throws Exception {
        server = new InferenceServer(vertx, "toy", registry, limits);
        port = server.start("127.0.0.1", 0);
        server.load(new LoadedModel("toy", 1, "sha256:toy", new long[] {4}, 3, predictor));
    }

    @Test
    void aBurstBeyondCapacityGets429WithRetryAfterWithoutItsBodyWhileHealthAnswers() throws Exception {
        serve(new ServingLimits(1, 1, 8, null, LONG, LONG));
        predictor.hold();
        CompletableFuture<HttpResponse<String>> running = postAsync(body(1));
        CompletableFuture<HttpResponse<String>> queued = postAsync(body(1));
        await().atMost(LONG).until(() -> predictor.calls.get() == 1 && admitted() == 2);

        List<CompletableFuture<HttpResponse<String>>> burst = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            burst.add(postAsync(body(1)));
        }
        for (CompletableFuture<HttpResponse<String>> refused : burst) {
            HttpResponse<String> response = refused.get(30, TimeUnit.SECONDS);
            assertThat(response.statusCode()).isEqualTo(429);
            assertThat(response.headers().firstValue("Retry-After")).hasValue(InferenceServer.RETRY_AFTER_SECONDS);
        }
        try (RawClient raw = new RawClient(port)) {
            raw.send(head(INFER, "Content-Length: 1000\r\nExpect: 100-continue"));
            assertThat(raw.readResponse().status()).as("refused on its head, the body never invited").isEqualTo(429);
            assertThat(raw.closedByServer()).isTrue();
        }
        assertThat(get("/v2/health/live").statusCode()).isEqualTo(200);
        assertThat(get("/v2/health/ready").statusCode()).isEqualTo(200);
        assertThat(get("/v2/models/toy").statusCode()).isEqualTo(200);
        assertThat(queued.isDone()).as("still waiting for the one worker").isFalse();

        predictor.release();
        assertThat(running.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(queued.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        await().atMost(LONG).until(() -> admitted() == 0);
        assertThat(predictor.calls).hasValue(2);
        assertThat(post(body(1)).statusCode()).as("capacity is back").isEqualTo(200);
    }

    @Test
    void anOversizedBodyGets413BeforeItIsRead() throws Exception {
        serve(new ServingLimits(1, 1, 2, null, LONG, LONG));
        long limit = 2L * 4 * ServingLimits.BYTES_PER_NUMBER + ServingLimits.ENVELOPE_BYTES;

        try (RawClient declared = new RawClient(port)) {
            declared.send(head(INFER, "Content-Length: 50000000") + "{\"inputs\": [");
            RawClient.Response response = declared.readResponse();
            assertThat(response.status()).as("answered while 50 MB were still to come").isEqualTo(413);
            assertThat(response.body()).contains("exceeds the limit of " + limit + " bytes");
            assertThat(declared.closedByServer()).isTrue();
        }
        try (RawClient chunked = new RawClient(port)) {
            chunked.send(head(INFER, "Transfer-Encoding: chunked"));
            String chunk = "x".repeat(16 * 1024);
            for (long sent = 0; sent <= limit; sent += chunk.length()) {
                chunked.send(Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n");
            }
            assertThat(chunked.readResponse().status()).as("no last chunk was sent").isEqualTo(413);
            assertThat(chunked.closedByServer()).isTrue();
        }
        try (RawClient expecting = new RawClient(port)) {
            expecting.send(head(INFER, "Content-Length: " + (limit + 1) + "\r\nExpect: 100-continue"));
            assertThat(expecting.readResponse().status()).as("refused before the body is invited").isEqualTo(413);
            assertThat(expecting.closedByServer()).isTrue();
        }
        await().atMost(LONG).until(() -> admitted() == 0);
        assertThat(predictor.calls).as("nothing oversized reached the model").hasValue(0);

        try (RawClient expecting = new RawClient(port)) {
            String body = body(2);
            expecting.send(head(INFER, "Content-Length: " + body.length() + "\r\nExpect: 100-continue"));
            assertThat(expecting.readResponse().status()).as("a body within the limit is invited").isEqualTo(100);
            expecting.send(body);
            assertThat(expecting.readResponse().status()).isEqualTo(200);
        }
        assertError(post(body(3)), 413, "a batch of 3 records exceeds the limit of 2");
    }

    @Test
    void aMalformedBodyGets400WithItsReason() throws Exception {
        serve(new ServingLimits(1, 1, 8, null, LONG, LONG));
        assertError(post("{not json"), 400, "not valid JSON");
        assertError(post("{\"inputs\": [{\"datatype\": \"FP32\", \"shape\": [1, 4], \"data\": [1, 2"), 400, "not valid JSON");
        assertError(post("[1, 2, 3]"), 400, "must be a JSON object");
        assertError(post(body(1).replace("[1,2,3,4]", "[1,2,\"x\",4]")), 400, "input data[2] is not a number");
        assertError(post(body(1).replace("[1,2,3,4]", "[[1,2,3,4]]")), 400, "input data[0] is not a number");
        assertError(post(body(1).replace("\"shape\":[1,4]", "\"shape\":[1,2.5]")), 400, "positive integers");
        assertError(post(body(1).replace("[1,2,3,4]", "[1,2,3]")), 400, "input data has 3 values, shape [1,4] needs 4");
        assertError(post("{\"inputs\": [{\"datatype\": \"FP32\", \"shape\": [1, 4], \"data\": [1, 2, 3, 4]}, {}]}"), 400,
                "exactly one input");

        HttpResponse<String> ok = post("{\"id\": \"r1\", \"parameters\": {\"a\": [[{}]]}, \"inputs\": [{\"data\": [1, 2, 3, 4, "
                + "5, 6, 7, 8], \"name\": \"input\", \"shape\": [2, 4], \"datatype\": \"FP32\"}]}");
        assertThat(ok.statusCode()).as("fields in any order, unknown ones skipped").isEqualTo(200);
        JsonNode answer = JSON.readTree(ok.body());
        assertThat(answer.get("id").asText()).isEqualTo("r1");
        assertThat(answer.get("outputs").get(0).get("shape").toString()).isEqualTo("[2,3]");
        assertThat(predictor.lastInput).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
    }

    @Test
    void aClientTricklingItsRequestHeadIsDisconnectedByTheIdleTimeout() throws Exception {
        serve(new ServingLimits(1, 1, 8, null, LONG, Duration.ofMillis(500)));
        ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
        try (RawClient slow = new RawClient(port)) {
            String head = head(INFER, "Content-Length: 10");
            AtomicInteger sent = new AtomicInteger();
            trickle.scheduleAtFixedRate(() -> {
                int i = sent.get();
                if (i < head.length() && slow.trySend(head.substring(i, i + 1))) {
                    sent.incrementAndGet();
                }
            }, 0, 100, TimeUnit.MILLISECONDS);
            assertThat(slow.closedByServer()).as("cut off though it kept sending").isTrue();
            assertThat(sent.get()).isGreaterThan(1).isLessThan(head.length());
        } finally {
            trickle.shutdownNow();
        }
        try (RawClient silent = new RawClient(port)) {
            assertThat(silent.closedByServer()).as("a connection that never sends anything").isTrue();
        }
        assertThat(get("/v2/health/live").statusCode()).isEqualTo(200);
    }

    @Test
    void aBodyStillArrivingAtTheRequestTimeoutGets408AndFreesItsSlot() throws Exception {
        serve(new ServingLimits(1, 0, 8, null, Duration.ofMillis(500), LONG));
        try (RawClient slow = new RawClient(port)) {
            slow.send(head(INFER, "Content-Length: 1000") + "{\"inputs\"");
            assertThat(slow.readResponse().status()).isEqualTo(408);
            assertThat(slow.closedByServer()).isTrue();
        }
        await().atMost(LONG).until(() -> admitted() == 0);
        assertThat(post(body(1)).statusCode()).isEqualTo(200);
    }

    @Test
    void inferenceOutlivingTheRequestTimeoutGets503AndItsSlotIsFreedWhenItsWorkEnds() throws Exception {
        serve(new ServingLimits(1, 1, 8, null, Duration.ofMillis(500), LONG));
        predictor.hold();
        CompletableFuture<HttpResponse<String>> running = postAsync(body(1));
        CompletableFuture<HttpResponse<String>> queued = postAsync(body(1));
        for (CompletableFuture<HttpResponse<String>> late : List.of(running, queued)) {
            HttpResponse<String> response = late.get(30, TimeUnit.SECONDS);
            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.headers().firstValue("Retry-After")).isPresent();
        }
        assertThat(admitted()).as("the running computation still holds its slot; the queued one gave it back")
                .isEqualTo(1);
        assertThat(post(body(1)).statusCode()).as("one slot free: admitted, then times out behind the worker")
                .isEqualTo(503);

        predictor.release();
        await().atMost(LONG).until(() -> admitted() == 0);
        assertThat(predictor.calls).as("abandoned requests that had not started never run").hasValue(1);
        assertThat(post(body(1)).statusCode()).isEqualTo(200);
    }

    @Test
    void aServerSideFailureGets500WithARequestIdAndNoInternalText() throws Exception {
        serve(new ServingLimits(1, 1, 8, null, LONG, LONG));
        predictor.failure = new IllegalStateException("libtorch: out of memory in dev.unlearning.engine.Secret");
        List<LogRecord> logged = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                logged.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger log = Logger.getLogger(InferenceServer.class.getName());
        log.addHandler(capture);
        try {
            HttpResponse<String> response = post(body(1));
            assertThat(response.statusCode()).isEqualTo(500);
            for (String internal : List.of("Exception", "IllegalState", "libtorch", "dev.unlearning", "Secret", "\tat ",
                    "java.")) {
                assertThat(response.body()).doesNotContain(internal);
            }
            String id = JSON.readTree(response.body()).get("request_id").asText();
            assertThat(id).isNotBlank();
            assertThat(logged).as("the details are logged under the id")
                    .filteredOn(r -> r.getThrown() == predictor.failure).singleElement()
                    .satisfies(r -> assertThat(new SimpleFormatter().formatMessage(r)).contains(id));
        } finally {
            log.removeHandler(capture);
        }
        await().atMost(LONG).until(() -> admitted() == 0);
    }

    /** A prediction that can be held until the test releases it, or made to fail. */
    static final class HeldPredictor implements Predictor {
        final AtomicInteger calls = new AtomicInteger();
        volatile CountDownLatch gate = new CountDownLatch(0);
        volatile RuntimeException failure;
        volatile float[] lastInput;

        void hold() {
            gate = new CountDownLatch(1);
        }

        void release() {
            gate.countDown();
        }

        @Override
        public float[] probabilities(float[] flat, long[] inputShape, int records) {
            calls.incrementAndGet();
            lastInput = flat;
            if (failure != null) {
                throw failure;
            }
            try {
                if (!gate.await(60, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the test never released the prediction");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            return new float[records * 3];
        }
    }

    private double admitted() {
        return registry.get("unlearning.serving.inference.admitted").gauge().value();
    }

    private static String body(int records) {
        StringBuilder data = new StringBuilder();
        for (int i = 1; i <= records * 4; i++) {
            data.append(i == 1 ? "" : ",").append(i);
        }
        return "{\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[" + records + ",4],\"data\":[" + data + "]}]}";
    }

    private static String head(String path, String lengthHeader) {
        return "POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n" + lengthHeader + "\r\n\r\n";
    }

    private String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url(path))).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String body) throws Exception {
        return postAsync(body).get(60, TimeUnit.SECONDS);
    }

    private CompletableFuture<HttpResponse<String>> postAsync(String body) {
        return HTTP.sendAsync(HttpRequest.newBuilder(URI.create(url(INFER))).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertError(HttpResponse<String> response, int status, String message) throws Exception {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(JSON.readTree(response.body()).get("error").asText()).contains(message);
    }
}
