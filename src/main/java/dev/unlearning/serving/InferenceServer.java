package dev.unlearning.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import com.fasterxml.jackson.core.JsonProcessingException;

/**
 * The KServe Open Inference Protocol v2 (REST) for one model version. Live from the start; ready only once
 * the version is loaded, which is what the Deployment's readiness probe waits for during a rollout. Every
 * response names the loaded version in the {@code Unlearning-Model-Version} header. Client mistakes get
 * 400 or 404 with an {@code error} message, never a 500.
 */
public final class InferenceServer implements AutoCloseable {

    public static final String VERSION_HEADER = "Unlearning-Model-Version";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern MODEL_PATH = Pattern.compile(
            "^/v2/models/([^/]+)(?:/versions/([^/]+))?(/ready|/infer)?/?$");

    private final Vertx vertx;
    private final String modelName;
    private final MeterRegistry registry;
    private final int maxBodyBytes;
    private final AtomicReference<LoadedModel> loaded = new AtomicReference<>();
    private final AtomicInteger loadedVersion = new AtomicInteger(0);
    private HttpServer server;

    public InferenceServer(Vertx vertx, String modelName, MeterRegistry registry, int maxBodyBytes) {
        this.vertx = vertx;
        this.modelName = modelName;
        this.registry = registry;
        this.maxBodyBytes = maxBodyBytes;
        registry.gauge("unlearning.serving.loaded.version", loadedVersion);
    }

    /** Starts listening (port 0 picks a free port) and returns the port. */
    public int start(String host, int port) throws Exception {
        server = vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port))
                .requestHandler(this::handle);
        server.listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        return server.actualPort();
    }

    /** Makes the server ready with this version. */
    public void load(LoadedModel model) {
        loaded.set(model);
        loadedVersion.set(model.version());
    }

    private void handle(HttpServerRequest request) {
        long started = System.nanoTime();
        String path = request.path();
        LoadedModel model = loaded.get();
        if (model != null) {
            request.response().putHeader(VERSION_HEADER, Integer.toString(model.version()));
        }
        if ("/v2/health/live".equals(path) || "/v2/health/ready".equals(path)) {
            boolean ok = path.endsWith("live") || model != null;
            reply(request, ok ? 200 : 503, JSON.createObjectNode().put(path.endsWith("live") ? "live" : "ready", ok),
                    "health", started);
            return;
        }
        if ("/v2".equals(path)) {
            reply(request, 200, JSON.createObjectNode().put("name", "unlearning-operator").put("version", "2"),
                    "server", started);
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
            case "metadata" -> reply(request, 200, metadata(model), endpoint, started);
            default -> infer(request, model, started);
        }
    }

    private void infer(HttpServerRequest request, LoadedModel model, long started) {
        if (request.method() != HttpMethod.POST) {
            error(request, 405, "infer takes POST", "infer", started);
            return;
        }
        String length = request.getHeader("Content-Length");
        if (length != null && parseLong(length) > maxBodyBytes) {
            error(request, 400, "request body of " + length + " bytes exceeds the limit of " + maxBodyBytes, "infer", started);
            return;
        }
        Buffer body = Buffer.buffer();
        boolean[] tooLarge = {false};
        request.handler(chunk -> {
            if (body.length() + chunk.length() > maxBodyBytes) {
                tooLarge[0] = true;
            } else {
                body.appendBuffer(chunk);
            }
        });
        request.endHandler(end -> {
            if (tooLarge[0]) {
                error(request, 400, "request body exceeds the limit of " + maxBodyBytes + " bytes", "infer", started);
                return;
            }
            vertx.<ObjectNode>executeBlocking(() -> predict(body, model), false).onComplete(result -> {
                if (result.succeeded()) {
                    reply(request, 200, result.result(), "infer", started);
                } else if (result.cause() instanceof InferenceRequest.BadRequest bad) {
                    error(request, 400, bad.getMessage(), "infer", started);
                } else {
                    error(request, 500, "inference failed: " + result.cause(), "infer", started);
                }
            });
        });
    }

    private ObjectNode predict(Buffer body, LoadedModel model) {
        JsonNode json;
        try {
            json = JSON.readTree(body.getBytes());
        } catch (IOException e) {
            throw new InferenceRequest.BadRequest("the body is not valid JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        InferenceRequest parsed = InferenceRequest.parse(json, model);
        float[] probabilities = model.ensemble().probabilities(parsed.data(), model.inputShape(), parsed.records());
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

    private ObjectNode metadata(LoadedModel model) {
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

    private void error(HttpServerRequest request, int status, String message, String endpoint, long started) {
        reply(request, status, JSON.createObjectNode().put("error", message), endpoint, started);
    }

    private void reply(HttpServerRequest request, int status, ObjectNode body, String endpoint, long started) {
        Timer.builder("oip.requests").description("Open Inference Protocol requests").tag("endpoint", endpoint)
                .tag("status", Integer.toString(status)).publishPercentileHistogram().register(registry)
                .record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        try {
            request.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                    .end(Buffer.buffer(JSON.writeValueAsBytes(body)));
        } catch (JsonProcessingException e) {
            request.response().setStatusCode(500).end();
        }
    }

    private static long parseLong(String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Stops accepting connections; requests in flight finish first (a rolling update's graceful stop). */
    @Override
    public void close() throws Exception {
        if (server != null) {
            server.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }
}
