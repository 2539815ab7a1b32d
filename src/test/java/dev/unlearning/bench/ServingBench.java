package dev.unlearning.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.unlearning.engine.EngineFixtures;
import dev.unlearning.api.ShardedModelSpec;
import dev.unlearning.engine.TorchRuntime;
import dev.unlearning.engine.data.Dataset;
import dev.unlearning.engine.data.FashionMnist;
import dev.unlearning.engine.data.IdxDatasetReader;
import dev.unlearning.engine.data.Splits;
import dev.unlearning.engine.evaluation.Ensemble;
import dev.unlearning.engine.training.ModelTraining;
import dev.unlearning.serving.InferenceServer;
import dev.unlearning.serving.LoadedModel;
import dev.unlearning.serving.ServingLimits;
import dev.unlearning.store.FileBlobStore;
import dev.unlearning.store.ModelRepository;
import dev.unlearning.store.VersionManifest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;

/**
 * Inference throughput and latency of 1 (monolithic), 4 and 16-shard ensembles over real HTTP, and a
 * continuous client across a version switch of two servers, the way a rolling update moves a Service's
 * endpoints: the new server joins once ready, the old one leaves the endpoints, then stops gracefully.
 */
final class ServingBench {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** What serve runs with on this machine, so the numbers include its admission control. */
    private static final ServingLimits LIMITS = ServingLimits.defaults(Runtime.getRuntime().availableProcessors());

    private final boolean quick;
    private final Path results;
    private final long seconds;
    private final int clients;

    ServingBench(boolean quick, Path results) {
        this.quick = quick;
        this.results = results;
        this.seconds = quick ? 3 : 10;
        this.clients = 4;
    }

    record Row(int shards, String path, int batch, double requestsPerSecond, double recordsPerSecond, double p50Ms,
            double p99Ms, int errors, double throughputVsMonolithic) {
    }

    /** Issue #16's serving targets for 16 shards on the fused path, as a share of one model's throughput. */
    static final Map<Integer, Double> TARGET_VS_MONOLITHIC = Map.of(1, 0.7, 64, 0.8);

    void run() throws Exception {
        TorchRuntime.engine(Integer.getInteger("bench.threads", 2));
        Splits data = IdxDatasetReader.read(FashionMnist.defaultDir()).head(quick ? 6000 : 20_000, 1000);
        try (ScratchDirectory scratch = ScratchDirectory.create("serving-bench")) {
            Path work = scratch.path();
            Vertx vertx = Vertx.vertx();
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            List<Row> rows = new ArrayList<>();
            Map<Integer, Double> monolithic = new LinkedHashMap<>();
            for (int shards : new int[] {1, 4, 16}) {
                ModelRepository repo = new ModelRepository(new FileBlobStore(work.resolve("s" + shards)), "bench").withIdKey(EngineFixtures.ID_KEY);
                VersionManifest v = new ModelTraining(repo, spec(shards, shards == 1 ? 1 : 2)).trainAll(data.train());
                Ensemble ensemble = Ensemble.load(repo, v);
                // One model is one model either way; ensembles are measured fused (what serve runs) and shard by shard.
                for (String path : shards == 1 ? List.of("fused") : List.of("per-shard", "fused")) {
                    InferenceServer server = new InferenceServer(vertx, "bench", new SimpleMeterRegistry(), LIMITS);
                    int port = server.start("127.0.0.1", 0);
                    server.load(path.equals("fused") ? LoadedModel.of(v, ensemble)
                            : new LoadedModel(v.model(), v.version(), v.ensembleDigest(), v.layout().inputShape(),
                                    v.layout().classes(), ensemble::probabilitiesPerShard));
                    for (int batch : new int[] {1, 64}) {
                        String body = body(data.test(), batch);
                        // JIT and connection warm-up; the first server also warms the JVM's HTTP and JSON paths, which
                        // would otherwise count against one model and flatter every ratio after it.
                        drive(http, List.of("http://127.0.0.1:" + port), body, shards == 1 ? seconds * 1000 : 1500, null);
                        Load load = drive(http, List.of("http://127.0.0.1:" + port), body, seconds * 1000, null);
                        double rps = load.ok / (load.elapsedMs / 1000.0);
                        if (shards == 1) {
                            monolithic.put(batch, rps);
                        }
                        rows.add(new Row(shards, path, batch, rps, rps * batch, load.percentile(50), load.percentile(99),
                                load.failed.get(), rps / monolithic.get(batch)));
                        System.err.printf("shards %2d %-9s batch %2d: %.1f req/s, p50 %.1f ms, p99 %.1f ms, %d errors%n", shards,
                                path, batch, rps, load.percentile(50), load.percentile(99), load.failed.get());
                    }
                    server.close();
                }
                ensemble.close();
            }
            Map<String, Object> rollout = versionSwitch(vertx, http, data, work);
            vertx.close().toCompletionStage().toCompletableFuture().get();
            write(rows, rollout);
        }
    }

    /** Serves v1, then rolls to v2 with the endpoint order of a rolling update while a client keeps sending. */
    private Map<String, Object> versionSwitch(Vertx vertx, HttpClient http, Splits data, Path work) throws Exception {
        ModelRepository repo = new ModelRepository(new FileBlobStore(work.resolve("switch")), "bench").withIdKey(EngineFixtures.ID_KEY);
        ModelTraining training = new ModelTraining(repo, spec(4, 2));
        VersionManifest v1 = training.trainAll(data.train());
        VersionManifest v2 = training.trainAll(data.train());
        InferenceServer old = new InferenceServer(vertx, "bench", new SimpleMeterRegistry(), LIMITS);
        String oldUrl = "http://127.0.0.1:" + old.start("127.0.0.1", 0);
        old.load(LoadedModel.of(v1, Ensemble.load(repo, v1)));
        AtomicReference<List<String>> endpoints = new AtomicReference<>(List.of(oldUrl));
        String body = body(data.test(), 8);
        long durationMs = seconds * 1000 * 2;
        Thread rollout = new Thread(() -> {
            try {
                Thread.sleep(durationMs / 4);
                InferenceServer next = new InferenceServer(vertx, "bench", new SimpleMeterRegistry(), LIMITS);
                String nextUrl = "http://127.0.0.1:" + next.start("127.0.0.1", 0);
                next.load(LoadedModel.of(v2, Ensemble.load(repo, v2)));       // readiness gate: loaded first
                endpoints.set(List.of(oldUrl, nextUrl));                       // surge: both serve
                Thread.sleep(durationMs / 4);
                endpoints.set(List.of(nextUrl));                               // old leaves the endpoints
                Thread.sleep(200);                                             // the preStop grace period
                old.close();                                                   // graceful stop
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        rollout.start();
        Load load = drive(http, null, body, durationMs, endpoints);
        rollout.join();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("requests", load.ok + load.failed.get());
        result.put("failed", load.failed.get());
        result.put("byVersion", new java.util.TreeMap<>(load.versions));
        System.err.printf("version switch: %d requests, %d failed, by version %s%n", load.ok + load.failed.get(),
                load.failed.get(), load.versions);
        return result;
    }

    static final class Load {
        final List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger failed = new AtomicInteger();
        final Map<String, Integer> versions = new ConcurrentHashMap<>();
        volatile int ok;
        long elapsedMs;

        double percentile(double p) {
            List<Double> sorted = new ArrayList<>(latencies);
            Collections.sort(sorted);
            return sorted.isEmpty() ? Double.NaN : sorted.get((int) Math.min(sorted.size() - 1, Math.floor(p / 100 * sorted.size())));
        }
    }

    /** {@code clients} threads send requests for a bounded time, to fixed URLs or the current endpoints. */
    private Load drive(HttpClient http, List<String> fixed, String body, long durationMs,
            AtomicReference<List<String>> endpoints) throws Exception {
        Load load = new Load();
        AtomicInteger ok = new AtomicInteger();
        long start = System.currentTimeMillis();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int client = c;
            Thread t = new Thread(() -> {
                int i = client;
                while (System.currentTimeMillis() - start < durationMs) {
                    List<String> urls = fixed != null ? fixed : endpoints.get();
                    String url = urls.get(i++ % urls.size());
                    long t0 = System.nanoTime();
                    try {
                        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "/v2/models/bench/infer"))
                                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() == 200) {
                            ok.incrementAndGet();
                            load.latencies.add((System.nanoTime() - t0) / 1e6);
                            load.versions.merge(r.headers().firstValue(InferenceServer.VERSION_HEADER).orElse("?"), 1, Integer::sum);
                        } else {
                            load.failed.incrementAndGet();
                        }
                    } catch (Exception e) {
                        load.failed.incrementAndGet();
                    }
                }
            });
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        load.elapsedMs = System.currentTimeMillis() - start;
        load.ok = ok.get();
        return load;
    }

    private static String body(Dataset test, int batch) throws Exception {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode input = body.putArray("inputs").addObject().put("name", "input").put("datatype", "FP32");
        input.putArray("shape").add(batch).add(1).add(28).add(28);
        ArrayNode values = input.putArray("data");
        float[] row = new float[784];
        for (int i = 0; i < batch; i++) {
            test.features().copyRow(i, row, 0);
            for (float v : row) {
                values.add(v);
            }
        }
        return new ObjectMapper().writeValueAsString(body);
    }

    private ShardedModelSpec spec(int shards, int slices) {
        return BenchSpecs.mlp(shards, slices, 1);
    }

    private void write(List<Row> rows, Map<String, Object> rollout) throws Exception {
        Files.createDirectories(results);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("suite", "serving");
        json.put("measuredAt", Instant.now().toString());
        json.put("setup", Map.of("clients", clients, "secondsPerPoint", seconds, "architecture", "mlp 784-256-128-10",
                "threads", Integer.getInteger("bench.threads", 2), "transport", "HTTP/1.1 JSON, loopback"));
        json.put("rows", rows);
        json.put("versionSwitch", rollout);
        JSON.writeValue(results.resolve("serving.json").toFile(), json);
        StringBuilder md = new StringBuilder("| shards | path | batch | requests/s | records/s | p50 ms | p99 ms | errors "
                + "| throughput vs monolithic | target |\n| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n");
        for (Row r : rows) {
            String target = "";
            if (r.shards() == 16 && r.path().equals("fused")) {
                double want = TARGET_VS_MONOLITHIC.get(r.batch());
                target = String.format("≥ %.1f: %s", want, r.throughputVsMonolithic() >= want ? "met" : "not met");
            }
            md.append(String.format("| %d | %s | %d | %.1f | %.1f | %.1f | %.1f | %d | %.2f | %s |%n", r.shards(), r.path(),
                    r.batch(), r.requestsPerSecond(), r.recordsPerSecond(), r.p50Ms(), r.p99Ms(), r.errors(),
                    r.throughputVsMonolithic(), target));
        }
        md.append(String.format("%nVersion switch under load: %s requests, %s failed, by version %s%n",
                rollout.get("requests"), rollout.get("failed"), rollout.get("byVersion")));
        Files.writeString(results.resolve("serving.md"), md.toString());
        CategoryChart chart = new CategoryChartBuilder().width(800).height(450).title("records/s by ensemble size")
                .xAxisTitle("shards").yAxisTitle("records/s").build();
        for (String path : List.of("per-shard", "fused")) {
            for (int batch : new int[] {1, 64}) {
                // The monolithic point belongs to both series, so each line starts from one model.
                List<Row> series = rows.stream().filter(r -> r.batch() == batch && (r.shards() == 1 || r.path().equals(path))).toList();
                chart.addSeries(path + ", batch " + batch, series.stream().map(r -> Integer.toString(r.shards())).toList(),
                        series.stream().map(Row::recordsPerSecond).toList());
            }
        }
        BitmapEncoder.saveBitmap(chart, results.resolve("serving-throughput").toString(), BitmapEncoder.BitmapFormat.PNG);
        System.err.println("wrote " + results.resolve("serving.json") + ", .md and plot");
    }
}
