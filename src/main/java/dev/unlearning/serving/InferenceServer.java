package dev.unlearning.serving;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.netty.buffer.ByteBufInputStream;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * The KServe Open Inference Protocol v2 (REST) for one classifier version, or OpenAI-style {@code /v1/completions}
 * (what KServe's Hugging Face runtime serves for text) for one language-model version. Live from the start; ready only once
 * the version is loaded, which is what the Deployment's readiness probe waits for during a rollout. Every
 * response names the loaded version in the {@code Unlearning-Model-Version} header. Client mistakes get
 * 400, 404 or 413 with an {@code error} message; an internal failure gets a 500 that names only a request id,
 * whose details are in the log.
 *
 * <p>Inference is bounded by {@link ServingLimits}: a request beyond the admitted ones gets 429 before its
 * body is read, and bodies, batches, requests and idle connections are cut off at their limits. Health and
 * metadata are answered on the event loop and never wait for inference.
 */
public final class InferenceServer implements AutoCloseable {

    public static final String VERSION_HEADER = "Unlearning-Model-Version";
    /** Seconds a refused client should wait: about what a queue of a few batches takes to drain. */
    static final String RETRY_AFTER_SECONDS = "1";
    private static final Logger LOG = Logger.getLogger(InferenceServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern MODEL_PATH = Pattern.compile(
            "^/v2/models/([^/]+)(?:/versions/([^/]+))?(/ready|/infer)?/?$");
    private static final AtomicInteger SERVERS = new AtomicInteger();

    private final Vertx vertx;
    private final String modelName;
    private final MeterRegistry registry;
    private final ServingLimits limits;
    private final InferenceSlots slots;
    private final IdleConnections idle;
    private final WorkerExecutor workers;
    private final AtomicReference<Serving> serving = new AtomicReference<>();
    private final AtomicInteger loadedVersion = new AtomicInteger(0);
    private HttpServer server;
    private final byte[] bearerToken;

    /** A loaded version and the body limit its input shape gives. */
    private record Serving(LoadedModel model, int maxBodyBytes) {
    }

    public InferenceServer(Vertx vertx, String modelName, MeterRegistry registry, ServingLimits limits) {
        this(vertx, modelName, registry, limits, null);
    }

    /** With {@code bearerToken}, every request but the health probes must carry it; null: no authentication. */
    public InferenceServer(Vertx vertx, String modelName, MeterRegistry registry, ServingLimits limits,
            String bearerToken) {
        this.bearerToken = bearerToken == null || bearerToken.isBlank() ? null
                : ("Bearer " + bearerToken.strip()).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        this.vertx = vertx;
        this.modelName = modelName;
        this.registry = registry;
        this.limits = limits;
        this.slots = new InferenceSlots(limits.admitted());
        this.idle = new IdleConnections(vertx, limits.idleTimeout().toMillis());
        // Its own pool, sized to the limit: Vert.x's shared worker pool is also Quarkus's, and unbounded here.
        this.workers = vertx.createSharedWorkerExecutor("oip-inference-" + SERVERS.incrementAndGet(),
                limits.maxConcurrent());
        registry.gauge("unlearning.serving.loaded.version", loadedVersion);
        registry.gauge("unlearning.serving.inference.admitted", slots, InferenceSlots::taken);
    }

    /** Starts listening (port 0 picks a free port) and returns the port. */
    public int start(String host, int port) throws Exception {
        // HTTP/1.1 only: closing a connection after a refusal must not take other clients' streams with it.
        server = vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port)
                        .setHttp2ClearTextEnabled(false))
                .connectionHandler(idle::opened)
                .requestHandler(this::handle);
        server.listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        return server.actualPort();
    }

    /** Makes the server ready with this version. */
    public void load(LoadedModel model) {
        serving.set(new Serving(model, (int) limits.bodyBytesFor(model)));
        loadedVersion.set(model.version());
    }

    private void handle(HttpServerRequest request) {
        idle.requestStarted(request.connection());
        request.response().endHandler(v -> idle.requestEnded(request.connection()));
        long started = System.nanoTime();
        try {
            route(request, started);
        } catch (RuntimeException e) {
            internalError(request, e, "unknown", started);
        }
    }

    private void route(HttpServerRequest request, long started) {
        String path = request.path();
        Serving current = serving.get();
        LoadedModel model = current == null ? null : current.model();
        if (model != null) {
            request.response().putHeader(VERSION_HEADER, Integer.toString(model.version()));
        }
        if ("/v2/health/live".equals(path) || "/v2/health/ready".equals(path)) {
            boolean ok = path.endsWith("live") || model != null;
            reply(request, ok ? 200 : 503, JSON.createObjectNode().put(path.endsWith("live") ? "live" : "ready", ok),
                    "health", started);
            return;
        }
        if (bearerToken != null && !authorized(request)) {
            request.response().putHeader("WWW-Authenticate", "Bearer");
            // The body is never read for a caller that may not send it; the connection closes after the answer.
            refuse(request, 401, "this model needs 'Authorization: Bearer <token>'", started);
            return;
        }
        if ("/v2".equals(path)) {
            reply(request, 200, JSON.createObjectNode().put("name", "unlearning-operator").put("version", "2"),
                    "server", started);
            return;
        }
        if ("/v1/models".equals(path)) {
            reply(request, 200, CompletionsProtocol.models(modelName, model), "models", started);
            return;
        }
        if ("/v1/completions".equals(path)) {
            if (model == null) {
                error(request, 503, "model " + modelName + " is still loading", "completions", started);
            } else if (!model.languageModel()) {
                error(request, 404, "model " + modelName + " is a classifier: POST /v2/models/" + modelName
                        + "/infer", "completions", started);
            } else {
                answer(request, current, started, "completions", body -> CompletionsProtocol.complete(
                        new ByteBufInputStream(body.getByteBuf()), current.model(), limits.maxBatch()));
            }
            return;
        }
        Matcher m = MODEL_PATH.matcher(path);
        if (!m.matches()) {
            error(request, 404, "no such endpoint: " + path, "unknown", started);
            return;
        }
        String endpoint = m.group(3) == null ? "metadata" : m.group(3).substring(1);
        if (!modelName.equals(m.group(1))) {
            error(request, 404, "unknown model " + m.group(1) + "; this server serves " + modelName, endpoint, started);
            return;
        }
        if (model == null) {
            error(request, 503, "model " + modelName + " is still loading", endpoint, started);
            return;
        }
        if (m.group(2) != null && !m.group(2).equals(Integer.toString(model.version()))) {
            error(request, 404, "version " + m.group(2) + " is not loaded; version " + model.version() + " is",
                    endpoint, started);
            return;
        }
        switch (endpoint) {
            case "ready" -> reply(request, 200, JSON.createObjectNode().put("name", modelName).put("ready", true),
                    endpoint, started);
            case "metadata" -> reply(request, 200, OpenInferenceProtocol.metadata(model), endpoint, started);
            default -> {
                if (model.languageModel()) {
                    error(request, 404, "model " + modelName + " is a language model: POST /v1/completions",
                            endpoint, started);
                } else {
                    answer(request, current, started, "infer", body -> OpenInferenceProtocol.infer(
                            new ByteBufInputStream(body.getByteBuf()), current.model(), limits.maxBatch()));
                }
            }
        }
    }

    /**
     * Receives a POST body within the limits and answers it on an inference worker: the admission, body, timeout
     * and failure handling every inference endpoint shares.
     */
    private void answer(HttpServerRequest request, Serving current, long started, String endpoint,
            Function<Buffer, ObjectNode> compute) {
        if (request.method() != HttpMethod.POST) {
            error(request, 405, endpoint + " takes POST", endpoint, started);
            return;
        }
        int limit = current.maxBodyBytes();
        long declared = contentLength(request);
        if (declared > limit) {
            refuse(request, 413, "request body of " + declared + " bytes exceeds the limit of " + limit + " bytes",
                    started);
            return;
        }
        InferenceCall call = slots.take((int) Math.max(0, Math.min(declared, limit)));
        if (call == null) {
            refuse(request, 429, "too many requests in progress; retry after " + RETRY_AFTER_SECONDS + " s", started);
            return;
        }
        long timer = vertx.setTimer(limits.requestTimeout().toMillis(), t -> timedOut(request, call, started));
        request.response().closeHandler(v -> {
            vertx.cancelTimer(timer);
            call.abandon();
        });
        request.handler(chunk -> {
            if (call.receiving() && !call.receive(chunk, limit)) {
                vertx.cancelTimer(timer);
                call.abandon();
                refuse(request, 413, "request body exceeds the limit of " + limit + " bytes", started);
            }
        });
        request.endHandler(end -> {
            if (!call.receiving()) {
                return;
            }
            call.queued();
            workers.<ObjectNode>executeBlocking(() -> {
                Buffer received = call.start();
                if (received == null) {
                    return null;
                }
                try {
                    return compute.apply(received);
                } finally {
                    call.end();
                }
            }, false).onComplete(result -> {
                vertx.cancelTimer(timer);
                if (result.succeeded()) {
                    if (result.result() != null) {
                        reply(request, 200, result.result(), endpoint, started);
                    }
                } else if (result.cause() instanceof ClientError) {
                    ClientError client = (ClientError) result.cause();
                    error(request, client.status(), client.getMessage(), endpoint, started);
                } else {
                    internalError(request, result.cause(), endpoint, started);
                }
            });
        });
        if ("100-continue".equalsIgnoreCase(request.getHeader("Expect"))) {
            request.response().writeContinue();
        }
    }

    /**
     * A request still receiving its body after the timeout gets 408 and loses its connection (its client is too
     * slow to keep one); one waiting for or in inference gets 503, since the server is too busy.
     */
    /** Compared in constant time, so the answer's timing says nothing about how much of a guess was right. */
    private boolean authorized(HttpServerRequest request) {
        String header = request.getHeader("Authorization");
        return header != null && java.security.MessageDigest.isEqual(bearerToken,
                header.strip().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private void timedOut(HttpServerRequest request, InferenceCall call, long started) {
        if (request.response().ended()) {
            return;
        }
        boolean receiving = call.receiving();
        call.abandon();
        String limit = limits.requestTimeout().toMillis() + " ms";
        if (receiving) {
            refuse(request, 408, "the request body did not arrive within " + limit, started);
        } else {
            request.response().putHeader("Retry-After", RETRY_AFTER_SECONDS);
            error(request, 503, "inference did not finish within " + limit, "infer", started);
        }
    }

    /**
     * Answers without buffering or parsing the body. A refused body within the limit is read past and dropped so
     * the connection stays usable (the idle timeout bounds how long that may take); an oversized or late one
     * ends the connection instead. So does any refusal of a client that sent {@code Expect: 100-continue}: it
     * never sends the body, and what it sends next must not be taken for one.
     */
    private void refuse(HttpServerRequest request, int status, String message, long started) {
        HttpServerResponse response = request.response();
        if (response.ended() || response.closed()) {
            return;
        }
        request.handler(null);
        request.endHandler(null);
        boolean close = status != 429 || "100-continue".equalsIgnoreCase(request.getHeader("Expect"));
        if (status == 429) {
            response.putHeader("Retry-After", RETRY_AFTER_SECONDS);
        }
        if (close) {
            response.putHeader("Connection", "close");
        }
        Future<Void> sent = reply(request, status, JSON.createObjectNode().put("error", message), "infer", started);
        if (close) {
            sent.onComplete(v -> request.connection().close());
        }
    }

    /** The cause goes to the log under a fresh id; the client gets only the id, never internal text. */
    private void internalError(HttpServerRequest request, Throwable cause, String endpoint, long started) {
        String id = UUID.randomUUID().toString();
        LOG.errorf(cause, "request %s (%s %s) failed", id, request.method(), request.path());
        reply(request, 500, JSON.createObjectNode().put("error", "internal error; the server log has the details under "
                + "this request id").put("request_id", id), endpoint, started);
    }

    private void error(HttpServerRequest request, int status, String message, String endpoint, long started) {
        reply(request, status, JSON.createObjectNode().put("error", message), endpoint, started);
    }

    private Future<Void> reply(HttpServerRequest request, int status, ObjectNode body, String endpoint, long started) {
        HttpServerResponse response = request.response();
        if (response.ended() || response.closed()) {
            return Future.succeededFuture();
        }
        Timer.builder("oip.requests").description("Open Inference Protocol requests").tag("endpoint", endpoint)
                .tag("status", Integer.toString(status)).publishPercentileHistogram().register(registry)
                .record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        try {
            return response.setStatusCode(status).putHeader("Content-Type", "application/json")
                    .end(Buffer.buffer(JSON.writeValueAsBytes(body)));
        } catch (JsonProcessingException e) {
            return response.setStatusCode(500).end();
        }
    }

    /** The declared body length, or -1 when the body is chunked or its length is not a number. */
    private static long contentLength(HttpServerRequest request) {
        String length = request.getHeader("Content-Length");
        if (length == null) {
            return -1;
        }
        try {
            return Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Stops accepting connections; requests in flight finish first (a rolling update's graceful stop). */
    @Override
    public void close() throws Exception {
        if (server != null) {
            server.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        workers.close();
    }
}
