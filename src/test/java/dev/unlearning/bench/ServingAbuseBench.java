package dev.unlearning.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.unlearning.engine.EngineFixtures;
import dev.unlearning.engine.TorchRuntime;
import dev.unlearning.engine.data.FashionMnist;
import dev.unlearning.engine.data.IdxDatasetReader;
import dev.unlearning.engine.data.Splits;
import dev.unlearning.engine.training.ModelTraining;
import dev.unlearning.serving.ServingLimits;
import dev.unlearning.store.FileBlobStore;
import dev.unlearning.store.ModelRepository;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntFunction;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The serve role under abuse, in its own JVM with a 256 MiB heap: a burst far beyond its admission limit,
 * oversized bodies (declared, announced with Expect: 100-continue, and chunked without end), malformed bodies,
 * and slowloris connections trickling their head or body, all at once, while a probe checks liveness the way a
 * kubelet would. Recorded: how each scenario's attempts ended, the probe's success rate and worst latency, the
 * server's peak resident memory and whether it survived. A load harness, not a test: it never fails a build.
 */
final class ServingAbuseBench {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final String MAX_HEAP = "256m";
    private static final String INFER = "/v2/models/abuse/infer";
    /** Short enough that slow clients are cut off several times within the quick run's window. */
    private static final List<String> SERVE_OPTIONS = List.of("--idle-timeout", "5", "--request-timeout", "10");
    private static final int BURST_CLIENTS = 32;
    private static final int HEAD_TRICKLERS = 64;
    private static final int BODY_TRICKLERS = 4;

    private final boolean quick;
    private final Path results;
    private final long seconds;
    private final List<Thread> attackers = new ArrayList<>();
    private volatile boolean attacking;

    ServingAbuseBench(boolean quick, Path results) {
        this.quick = quick;
        this.results = results;
        this.seconds = quick ? 20 : 60;
    }

    void run() throws Exception {
        Path work = Files.createTempDirectory("serving-abuse");
        Path model = trainModel(work);
        Path log = work.resolve("serve.log");
        Map<String, StatusCounts> scenarios = new LinkedHashMap<>();
        List<double[]> rss = new CopyOnWriteArrayList<>();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("suite", "serving-abuse");
        json.put("measuredAt", Instant.now().toString());
        json.put("setup", setup());
        try (ServeProcess serve = ServeProcess.start(model, MAX_HEAP, SERVE_OPTIONS, log)) {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            String batch = body(64);
            for (int i = 0; i < 50; i++) {
                http.send(post(serve, batch), HttpResponse.BodyHandlers.discarding());     // warm-up
            }
            double baselineRss = serve.rssMb();
            System.err.printf("[serving-abuse] serve ready, %.0f MiB resident after warm-up; abusing for %d s%n",
                    baselineRss, seconds);

            long start = System.nanoTime();
            attacking = true;
            HealthProbe probe = new HealthProbe(serve.url("/v2/health/live"), 100);
            Thread sampler = loop("rss", () -> {
                rss.add(new double[] {(System.nanoTime() - start) / 1e9, serve.rssMb()});
                Thread.sleep(250);
            });
            List<Double> burstLatencies = Collections.synchronizedList(new ArrayList<>());
            try (TricklingClients heads = new TricklingClients(serve.port(), INFER, TricklingClients.Part.HEAD);
                    TricklingClients bodies = new TricklingClients(serve.port(), INFER, TricklingClients.Part.BODY)) {
                // First, so the slow bodies hold slots when the burst arrives, as an attacker's would.
                heads.start(HEAD_TRICKLERS, 1000);
                bodies.start(BODY_TRICKLERS, 1000);
                StatusCounts burst = scenario(scenarios, "burst: " + BURST_CLIENTS + " clients, batch 64, no pause");
                for (int c = 0; c < BURST_CLIENTS; c++) {
                    attack("burst", () -> {
                        long t0 = System.nanoTime();
                        int status = send(http, post(serve, batch));
                        if (status == 200) {
                            burstLatencies.add((System.nanoTime() - t0) / 1e6);
                        }
                        burst.add(status);
                    });
                }
                byte[] eightMiB = new byte[8 << 20];
                Arrays.fill(eightMiB, (byte) '1');
                StatusCounts declared = scenario(scenarios, "oversized: 8 MiB with Content-Length");
                attack("oversized-declared", () -> declared.add(send(http, HttpRequest.newBuilder(URI.create(serve.url(INFER)))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(eightMiB)).build())));
                StatusCounts expecting = scenario(scenarios, "oversized: 50 MB announced with Expect: 100-continue");
                attack("oversized-expect", () -> expecting.add(raw(serve.port(), out -> out.write(head(
                        "Content-Length: 50000000\r\nExpect: 100-continue")))));
                StatusCounts chunked = scenario(scenarios, "oversized: chunked, never ending");
                attack("oversized-chunked", () -> chunked.add(raw(serve.port(), out -> {
                    out.write(head("Transfer-Encoding: chunked"));
                    byte[] chunk = ("10000\r\n" + "1,".repeat(0x8000) + "\r\n").getBytes(StandardCharsets.US_ASCII);
                    for (int i = 0; i < 1000; i++) {
                        out.write(chunk);
                    }
                })));
                StatusCounts malformed = scenario(scenarios, "malformed: 6 kinds of broken body");
                List<String> broken = malformedBodies();
                int[] next = {0};
                attack("malformed", () -> malformed.add(send(http, post(serve, broken.get(next[0]++ % broken.size())))));
                Thread.sleep(seconds * 1000);
                attacking = false;
                for (Thread t : attackers) {
                    t.join(60_000);
                }
                scenarios.put("slowloris: " + HEAD_TRICKLERS + " connections trickling a head, 1 byte/s", heads.outcomes);
                scenarios.put("slowloris: " + BODY_TRICKLERS + " connections trickling a body, 1 byte/s", bodies.outcomes);
                json.put("slowloris", ordered(
                        "headConnectionsOpened", heads.opened(), "headLongestHeldSeconds", round(heads.longestHeldSeconds()),
                        "bodyConnectionsOpened", bodies.opened(), "bodyLongestHeldSeconds", round(bodies.longestHeldSeconds())));
            }
            probe.close();
            sampler.interrupt();
            sampler.join();

            boolean alive = serve.alive();
            int after = alive ? send(http, post(serve, batch)) : -1;
            List<HealthProbe.Sample> health = probe.samples();
            long ok = health.stream().filter(HealthProbe.Sample::ok).count();
            List<Double> healthLatencies = health.stream().map(HealthProbe.Sample::latencyMs).sorted().toList();
            List<Double> sortedBurst = burstLatencies.stream().sorted().toList();

            json.put("scenarios", snapshot(scenarios));
            json.put("burstOkLatencyMs", ordered("p50", round(percentile(sortedBurst, 50)),
                    "p99", round(percentile(sortedBurst, 99))));
            json.put("health", ordered("probes", health.size(), "ok", ok,
                    "successRate", health.isEmpty() ? 0 : round((double) ok / health.size()),
                    "p99LatencyMs", round(percentile(healthLatencies, 99)),
                    "maxLatencyMs", round(healthLatencies.isEmpty() ? Double.NaN : healthLatencies.get(healthLatencies.size() - 1))));
            json.put("server", ordered("alive", alive, "inferenceAfterAbuse", after,
                    "baselineRssMiB", round(baselineRss), "peakRssMiB", round(serve.peakRssMb()),
                    "log", log.toString()));
            write(json, health, rss);
        }
    }

    private Path trainModel(Path work) throws Exception {
        TorchRuntime.engine(Integer.getInteger("bench.threads", 2));
        Splits data = IdxDatasetReader.read(FashionMnist.defaultDir()).head(quick ? 3000 : 10_000, 100);
        Path store = work.resolve("store");
        new ModelTraining(new ModelRepository(new FileBlobStore(store), "abuse").withIdKey(EngineFixtures.ID_KEY), BenchSpecs.mlp(4, 2, 1))
                .trainAll(data.train());
        Path file = work.resolve("abuse.yaml");
        Files.writeString(file, """
                apiVersion: unlearning.dev/v1alpha1
                kind: ShardedModel
                metadata: {name: abuse}
                spec:
                  dataset: {uri: "file://%s"}
                  storage: {uri: "file://%s"}
                  architecture: {type: mlp, hidden: [256, 128]}
                  sharding: {shards: 4, slices: 2}
                """.formatted(FashionMnist.defaultDir(), store));
        return file;
    }

    private Map<String, Object> setup() {
        Map<String, Object> setup = new LinkedHashMap<>();
        int cpus = Runtime.getRuntime().availableProcessors();
        ServingLimits limits = ServingLimits.defaults(cpus);
        setup.put("secondsOfAbuse", seconds);
        setup.put("serverHeap", MAX_HEAP);
        setup.put("serverOptions", String.join(" ", SERVE_OPTIONS));
        setup.put("cpus", cpus);
        setup.put("maxConcurrent", limits.maxConcurrent());
        setup.put("maxQueued", limits.maxQueued());
        setup.put("maxBatch", limits.maxBatch());
        setup.put("maxBodyBytes", (long) limits.maxBatch() * 784 * ServingLimits.BYTES_PER_NUMBER + ServingLimits.ENVELOPE_BYTES);
        setup.put("model", "MLP 784-256-128-10, 4 shards");
        setup.put("healthProbe", "GET /v2/health/live every 100 ms, 1 s timeout (a kubelet probe's default)");
        return setup;
    }

    private interface Step {
        void run() throws Exception;
    }

    private static Thread loop(String name, Step step) {
        Thread t = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    step.run();
                }
            } catch (InterruptedException e) {
                // stopped
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Repeats the step until the abuse window ends; a failure of the attacker itself stops only that attacker. */
    private void attack(String name, Step step) {
        Thread t = new Thread(() -> {
            while (attacking) {
                try {
                    step.run();
                } catch (Exception e) {
                    System.err.println("[serving-abuse] " + name + " attacker failed: " + e);
                    return;
                }
            }
        }, name);
        t.setDaemon(true);
        attackers.add(t);
        t.start();
    }

    private static StatusCounts scenario(Map<String, StatusCounts> scenarios, String name) {
        StatusCounts counts = new StatusCounts();
        scenarios.put(name, counts);
        return counts;
    }

    private static Map<String, Map<String, Long>> snapshot(Map<String, StatusCounts> scenarios) {
        Map<String, Map<String, Long>> out = new LinkedHashMap<>();
        scenarios.forEach((name, counts) -> out.put(name, counts.snapshot()));
        return out;
    }

    private static HttpRequest post(ServeProcess serve, String body) {
        return HttpRequest.newBuilder(URI.create(serve.url(INFER))).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    /** The status, or -1 (counted as {@link StatusCounts#NO_STATUS}) when the connection failed before one arrived. */
    private static int send(HttpClient http, HttpRequest request) throws InterruptedException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        }
    }

    private interface Writes {
        void to(OutputStream out) throws IOException;
    }

    /** Writes over a bare socket until done or refused, then reads the status line, if any came. */
    private static int raw(int port, Writes writes) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            try {
                writes.to(socket.getOutputStream());
                socket.getOutputStream().flush();
            } catch (IOException refusedWhileWriting) {
                // the server stopped reading; its answer may still be in our receive buffer
            }
            InputStream in = socket.getInputStream();
            byte[] statusLine = in.readNBytes(12);
            String text = new String(statusLine, StandardCharsets.US_ASCII);
            return text.startsWith("HTTP/1.1 ") ? Integer.parseInt(text.substring(9, 12)) : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    private static byte[] head(String framing) {
        return ("POST " + INFER + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n" + framing
                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static List<String> malformedBodies() {
        IntFunction<String> tensor = n -> "{\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[1,784],\"data\":["
                + "0.5,".repeat(n - 1) + "0.5]}]}";
        return List.of(
                "{not json",
                tensor.apply(784).substring(0, 2000),                                   // truncated
                tensor.apply(700),                                                      // wrong count
                tensor.apply(784).replace("0.5]", "\"x\"]"),                            // a string value
                "[".repeat(100_000) + "]".repeat(100_000),                              // nesting past Jackson's limit
                "{\"inputs\":[{\"datatype\":\"FP32\",\"shape\":[" + "1,".repeat(5000) + "1],\"data\":[]}]}");
    }

    private static String body(int records) {
        StringBuilder data = new StringBuilder();
        for (int i = 0; i < records * 784; i++) {
            data.append(i == 0 ? "" : ",").append((i % 255) / 255f);
        }
        return "{\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[" + records + ",1,28,28],\"data\":["
                + data + "]}]}";
    }

    /** Keys in the order given, so the JSON and markdown read the same from run to run. */
    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    private static double percentile(List<Double> sorted, double p) {
        return sorted.isEmpty() ? Double.NaN
                : sorted.get((int) Math.min(sorted.size() - 1, Math.floor(p / 100 * sorted.size())));
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }

    private void write(Map<String, Object> json, List<HealthProbe.Sample> health, List<double[]> rss) throws Exception {
        Files.createDirectories(results);
        JSON.writeValue(results.resolve("serving-abuse.json").toFile(), json);
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Long>> scenarios = (Map<String, Map<String, Long>>) json.get("scenarios");
        List<String> outcomes = scenarios.values().stream().flatMap(m -> m.keySet().stream()).distinct().sorted().toList();
        StringBuilder md = new StringBuilder("Setup: ").append(json.get("setup")).append("\n\n| scenario | attempts |");
        outcomes.forEach(o -> md.append(' ').append(o).append(" |"));
        md.append("\n| --- | ---: |").append(" ---: |".repeat(outcomes.size())).append('\n');
        scenarios.forEach((name, counts) -> {
            md.append("| ").append(name).append(" | ").append(counts.values().stream().mapToLong(Long::longValue).sum())
                    .append(" |");
            outcomes.forEach(o -> md.append(' ').append(counts.getOrDefault(o, 0L)).append(" |"));
            md.append('\n');
        });
        md.append("\nLiveness probe during the abuse: ").append(json.get("health"))
                .append("\n\nServer: ").append(json.get("server"))
                .append("\n\nSlow connections: ").append(json.get("slowloris"))
                .append("\n\nBurst, latency of the requests that got 200: ").append(json.get("burstOkLatencyMs")).append('\n');
        Files.writeString(results.resolve("serving-abuse.md"), md.toString());

        XYChart chart = new XYChartBuilder().width(900).height(450).title("serve under abuse (" + MAX_HEAP + " heap)")
                .xAxisTitle("seconds").yAxisTitle("resident MiB").build();
        chart.addSeries("resident memory (MiB)", rss.stream().map(s -> s[0]).toList(), rss.stream().map(s -> s[1]).toList())
                .setMarker(SeriesMarkers.NONE);
        chart.addSeries("liveness probe latency (ms)", health.stream().map(HealthProbe.Sample::atSeconds).toList(),
                health.stream().map(HealthProbe.Sample::latencyMs).toList())
                .setMarker(SeriesMarkers.NONE).setYAxisGroup(1);
        chart.setYAxisGroupTitle(1, "probe ms");
        chart.getStyler().setYAxisMin(0, 0.0).setYAxisMin(1, 0.0);
        BitmapEncoder.saveBitmap(chart, results.resolve("serving-abuse").toString(), BitmapEncoder.BitmapFormat.PNG);
        System.err.println("wrote " + results.resolve("serving-abuse.json") + ", .md and plot");
        System.err.println(md);
    }
}
