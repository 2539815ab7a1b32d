package dev.unlearning.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.unlearning.api.ShardedModel;
import dev.unlearning.api.UnlearningRequest;
import dev.unlearning.operator.conventions.RequestConditions;
import dev.unlearning.testcluster.LocalCluster;
import dev.unlearning.testcluster.OwnedClient;
import dev.unlearning.testcluster.ClusterSetup;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import java.util.function.Predicate;

/**
 * The operator at scale on the local cluster, with KWOK completing worker pods without compute
 * (kwok-simulated-workers.yaml): N ShardedModels are trained, then M UnlearningRequests are filed at once.
 * Measured: time until all requests are Complete, API requests the operator sent per UnlearningRequest
 * (from the API server's audit log), the operator's heap (its own JVM, capped), and Jobs created.
 */
final class ScaleBench {

    private static final String NS = "scale";
    private static final String AGENT = "scale-bench";
    private static final String REQUEST_MIX = "70% Exact 2 record ids, 20% Auto 2 record ids, 10% SCRUB one class "
            + "(approximate ones retrained exactly within 20 s, every version erased around once served)";

    private final int models;
    private final int requests;
    private final int shards;
    private final int window;
    private final String maxHeap = "256m";
    private final Path results;

    ScaleBench(boolean quick, Path results) {
        this.models = quick ? 5 : 50;
        this.requests = quick ? 50 : 1000;
        this.shards = 4;
        this.window = 10;
        this.results = results;
    }

    record HeapSample(double seconds, double usedMb, double liveMb) {
    }

    void run() throws Exception {
        Path work = Files.createTempDirectory("scale-bench");
        Path audit = work.resolve("audit.log");
        try (LocalCluster cluster = LocalCluster.start(Map.of("CLUSTER_KWOK_PODS", "simulate",
                "CLUSTER_AUDIT_LOG", audit.toString()))) {
            Config config = Config.fromKubeconfig(Files.readString(cluster.kubeconfig()));
            config.setUserAgent(AGENT);
            config.setRequestTimeout(60_000);
            try (OwnedClient owned = OwnedClient.of(config)) {
                KubernetesClient client = owned.client();
                prepare(client);
                Instant start = Instant.now();
                List<HeapSample> heap = new CopyOnWriteArrayList<>();
                try (OperatorProcess operator = OperatorProcess.start(cluster.kubeconfig(), NS, maxHeap,
                        work.resolve("operator.log"))) {
                    Thread sampler = new Thread(() -> sample(operator, start, heap), "heap-sampler");
                    sampler.setDaemon(true);
                    sampler.start();
                    Instant trainFrom = Instant.now();
                    for (int m = 0; m < models; m++) {
                        client.resource(model(m)).inNamespace(NS).create();
                    }
                    awaitAll("models trained and served", Duration.ofMinutes(20), operator, () -> {
                        var items = client.resources(ShardedModel.class).inNamespace(NS).list().getItems();
                        return items.stream().filter(x -> x.getStatus() != null
                                && Integer.valueOf(1).equals(x.getStatus().getServing().getVersion())).count();
                    }, models);
                    Instant trainTo = Instant.now();

                    Instant requestFrom = Instant.now();
                    Random random = new Random(7);
                    for (int r = 0; r < requests; r++) {
                        client.resource(request(r, random)).inNamespace(NS).create();
                    }
                    Instant filed = Instant.now();
                    List<Double> completions = new ArrayList<>();
                    awaitAll("requests Complete", Duration.ofMinutes(30), operator, () -> {
                        var items = client.resources(UnlearningRequest.class).inNamespace(NS).list().getItems();
                        long failed = items.stream().filter(x -> condition(x, RequestConditions.FAILED)).count();
                        if (failed > 0) {
                            throw new IllegalStateException(failed + " requests failed, e.g. " + items.stream()
                                    .filter(x -> condition(x, RequestConditions.FAILED)).findFirst().orElseThrow()
                                    .getStatus().getConditions());
                        }
                        completions.clear();
                        items.stream().filter(x -> condition(x, RequestConditions.COMPLETE))
                                .map(x -> x.getStatus().condition(RequestConditions.COMPLETE).orElseThrow())
                                .forEach(c -> completions.add(Duration.between(requestFrom,
                                        Instant.parse(c.getLastTransitionTime())).toMillis() / 1000.0));
                        return (long) completions.size();
                    }, requests);
                    Instant requestTo = Instant.now();
                    sampler.interrupt();
                    OperatorProcess.LiveHeap live = operator.liveHeap(8);
                    report(client, new AuditLog(audit), heap, live, completions, trainFrom, trainTo, requestFrom, filed,
                            requestTo, Duration.between(start, requestFrom).toMillis() / 1000.0);
                }
            }
        }
    }

    private void prepare(KubernetesClient client) throws Exception {
        ClusterSetup.installCrds(client);
        // A pool big enough that scheduling is not the bottleneck: 8 GPU nodes (8 GPUs each), 4 CPU nodes.
        for (int i = 0; i < 12; i++) {
            boolean gpu = i < 8;
            String name = (gpu ? "scale-gpu-" : "scale-cpu-") + i;
            var node = new NodeBuilder().withNewMetadata().withName(name).addToAnnotations("kwok.x-k8s.io/node", "fake")
                    .addToLabels("type", "kwok").addToLabels("kubernetes.io/hostname", name).endMetadata()
                    .withNewSpec().endSpec().build();
            if (gpu) {
                node.getSpec().setTaints(List.of(new TaintBuilder()
                        .withKey("nvidia.com/gpu").withValue("present").withEffect("NoSchedule").build()));
            }
            client.nodes().resource(node).create();
            String capacity = "{\"cpu\":\"128\",\"memory\":\"1Ti\",\"pods\":\"250\"" + (gpu ? ",\"nvidia.com/gpu\":\"8\"" : "") + "}";
            // A merge patch without resourceVersion: KWOK writes the same node's conditions meanwhile.
            client.nodes().withName(name).subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE),
                    "{\"status\":{\"capacity\":" + capacity + ",\"allocatable\":" + capacity + "}}");
        }
        ClusterSetup.workerNamespace(client, NS, "models", "scale-bench-certificate-key");
    }

    private String model(int m) {
        return """
                apiVersion: unlearning.dev/v1alpha1
                kind: ShardedModel
                metadata: {name: m-%02d}
                spec:
                  dataset: {uri: "file:///usr/share/datasets/fashion-mnist"}
                  storage: {uri: "pvc://models/m-%02d"}
                  architecture: {type: mlp, hidden: [32]}
                  sharding: {shards: %d, slices: 2}
                  training: {epochs: 1}
                  runtime:
                    gpus: 1
                    tolerations: [{key: nvidia.com/gpu, operator: Exists, effect: NoSchedule}]
                  serving: {replicas: 1, port: 8080}
                  unlearning: {batchingWindowSeconds: %d, exactWithin: 20s}
                """.formatted(m, m, shards, window);
    }

    /** Mostly exact record deletions, some Auto, a few whole-class requests, spread over the models. */
    private String request(int r, Random random) {
        int m = r % models;
        String forget;
        String method;
        int kind = random.nextInt(10);
        if (kind == 0) {
            forget = "{labels: [" + random.nextInt(10) + "]}";
            method = "SCRUB";
        } else {
            forget = "{recordIds: [train-" + random.nextInt(60_000) + ", train-" + random.nextInt(60_000) + "]}";
            method = kind <= 2 ? "Auto" : "Exact";
        }
        return """
                apiVersion: unlearning.dev/v1alpha1
                kind: UnlearningRequest
                metadata: {name: r-%04d}
                spec: {modelRef: {name: m-%02d}, forget: %s, method: %s}
                """.formatted(r, m, forget, method);
    }

    private static boolean condition(UnlearningRequest r, String type) {
        return r.getStatus() != null && r.getStatus().condition(type).map(c -> "True".equals(c.getStatus())).orElse(false);
    }

    /** Polls (the harness's own requests are excluded from the counts by user agent) and shows progress. */
    private static void awaitAll(String what, Duration limit, OperatorProcess operator, Supplier<Long> done, long total)
            throws InterruptedException {
        Instant deadline = Instant.now().plus(limit);
        long last = -1;
        while (true) {
            long n = done.get();
            if (n != last) {
                System.err.printf("[scale] %s: %d/%d%n", what, n, total);
                last = n;
            }
            if (n >= total) {
                return;
            }
            if (!operator.alive()) {
                throw new IllegalStateException("the operator exited (out of memory?) while waiting for " + what);
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException(what + ": only " + n + "/" + total + " after " + limit);
            }
            Thread.sleep(2000);
        }
    }

    private static void sample(OperatorProcess operator, Instant start, List<HeapSample> samples) {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                OperatorProcess.Heap heap = operator.heap();
                samples.add(new HeapSample(Duration.between(start, Instant.now()).toMillis() / 1000.0,
                        heap.usedBytes() / (1 << 20), heap.liveAfterGcBytes() / (1 << 20)));
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                // the operator is stopping; the loop ends with the run
            }
        }
    }

    private void report(KubernetesClient client, AuditLog audit, List<HeapSample> heap, OperatorProcess.LiveHeap live,
            List<Double> completions,
            Instant trainFrom, Instant trainTo, Instant requestFrom, Instant filed, Instant requestTo, double heapOffset)
            throws Exception {
        Predicate<String> operatorAgent = a -> a.startsWith("fabric8-kubernetes-client");
        AuditLog.Counts training = audit.count(operatorAgent, trainFrom, trainTo);
        AuditLog.Counts unlearning = audit.count(operatorAgent, requestFrom, requestTo);
        long unlearnJobs = unlearning.byVerbAndResource().getOrDefault("create jobs", 0L);
        var batches = client.resources(ShardedModel.class).inNamespace(NS).list().getItems().stream()
                .mapToInt(x -> x.getStatus().unlearningLane().getStarted()).sum();
        double peakUsed = heap.stream().mapToDouble(HeapSample::usedMb).max().orElse(Double.NaN);
        double peakLive = heap.stream().mapToDouble(HeapSample::liveMb).max().orElse(Double.NaN);
        double completeSeconds = Duration.between(requestFrom, requestTo).toMillis() / 1000.0;

        Map<String, Object> json = new LinkedHashMap<>();
        json.put("suite", "scale");
        json.put("measuredAt", Instant.now().toString());
        json.put("setup", Map.of("models", models, "requests", requests, "shardsPerModel", shards,
                "batchingWindowSeconds", window, "operatorMaxHeap", maxHeap,
                "pods", "KWOK, simulated results after 1-3 s (test-cluster/kwok-simulated-workers.yaml)",
                "requestMix", REQUEST_MIX));
        json.put("trainingSeconds", Duration.between(trainFrom, trainTo).toMillis() / 1000.0);
        json.put("filingSeconds", Duration.between(requestFrom, filed).toMillis() / 1000.0);
        json.put("secondsUntilAllComplete", completeSeconds);
        json.put("requestsComplete", completions.size());
        json.put("operatorApiRequestsDuringUnlearning", unlearning.total());
        json.put("operatorApiRequestsPerUnlearningRequest", (double) unlearning.total() / requests);
        json.put("operatorApiRequestsDuringTraining", training.total());
        json.put("operatorApiRequestsByVerbDuringUnlearning", unlearning.byVerbAndResource());
        json.put("unlearningRuns", batches);
        json.put("jobsCreatedForRequests", unlearnJobs);
        json.put("jobsPerRequest", (double) unlearnJobs / requests);
        json.put("operatorHeapPeakUsedMb", peakUsed);
        json.put("operatorHeapPeakLiveAfterGcMb", peakLive);
        json.put("operatorLiveHeapAfterFullGcAtEndMb", live.totalMb());
        json.put("operatorLargestClassesAtEnd", live.topClasses());
        json.put("userAgents", audit.userAgents());
        json.put("heapSamples", heap);
        Files.createDirectories(results);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(results.resolve("scale.json").toFile(), json);

        String md = """
                Setup: %d ShardedModels (%d shards each), %d UnlearningRequests filed at once (%s), batching window %d s,
                operator in its own JVM with -Xmx%s, worker pods completed by KWOK with simulated results.

                | measure | value | target |
                | --- | ---: | --- |
                | requests Complete | %d / %d | all |
                | time from the first request filed until all are Complete | %.1f s (filing took %.1f s) | — |
                | operator API requests per UnlearningRequest (audit log) | %.1f | — |
                | unlearning runs (coalesced) | %d | — |
                | Jobs created for the requests (unlearn, finalize, erase) | %d (%.2f per request) | far fewer than requests |
                | operator heap, peak used / peak old gen after GC | %.0f MB / %.0f MB (cap %s) | ≤ 256 MB |
                | operator live heap at the end, after a full GC | %.0f MB | — |
                | time to train and serve all models (simulated) | %.1f s | — |
                """.formatted(models, shards, requests, REQUEST_MIX,
                window, maxHeap, completions.size(), requests, completeSeconds,
                Duration.between(requestFrom, filed).toMillis() / 1000.0, (double) unlearning.total() / requests, batches,
                unlearnJobs, (double) unlearnJobs / requests, peakUsed, peakLive, maxHeap, live.totalMb(),
                Duration.between(trainFrom, trainTo).toMillis() / 1000.0);
        md += "\nLargest classes in the operator's heap at the end: " + String.join("; ", live.topClasses()) + "\n";
        Files.writeString(results.resolve("scale.md"), md);
        plot(heap, completions, heapOffset);
        System.err.println(md);
        System.err.println("wrote " + results.resolve("scale.json") + ", .md and scale-progress.png");
    }

    /** Heap over the whole run (negative seconds: training), completions from the first request on. */
    private void plot(List<HeapSample> heap, List<Double> completions, double offset) throws Exception {
        XYChart chart = new XYChartBuilder().width(1000).height(480).title("requests Complete and operator heap")
                .xAxisTitle("seconds since the first request").yAxisTitle("requests Complete / heap MB").build();
        List<Double> sorted = completions.stream().sorted().toList();
        List<Double> counts = new ArrayList<>();
        for (int i = 0; i < sorted.size(); i++) {
            counts.add((double) i + 1);
        }
        if (!sorted.isEmpty()) {
            chart.addSeries("requests Complete", sorted, counts);
        }
        if (!heap.isEmpty()) {
            chart.addSeries("operator heap used MB", heap.stream().map(h -> h.seconds() - offset).toList(),
                    heap.stream().map(HeapSample::usedMb).toList());
        }
        BitmapEncoder.saveBitmap(chart, results.resolve("scale-progress").toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
