package dev.unlearning.testcluster;

import dev.unlearning.api.ShardedModel;
import dev.unlearning.api.UnlearningRequest;
import dev.unlearning.store.FileBlobStore;
import dev.unlearning.store.ModelRepository;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The newcomer's demo (test-cluster/demo.sh): a local cluster with fake GPU and CPU nodes, the operator,
 * the example model trained and served by real pods, two records forgotten exactly, the new version served,
 * and the signed certificate checked. Everything stops at the end.
 */
public final class Demo {

    static final String NS = "demo";
    static final String KEY = "demo-certificate-key-" + Long.toHexString(System.nanoTime());

    private Demo() {
    }

    public static void main(String[] args) throws Exception {
        step("Starting the local cluster (etcd, kube-apiserver, controller manager, scheduler, KWOK GPU/CPU nodes)");
        try (LocalCluster cluster = LocalCluster.start()) {
            KubernetesClient client = cluster.client();
            ClusterSetup.installCrds(client);
            ClusterSetup.workerNamespace(client, NS, "unlearning-models", KEY);
            System.out.println("nodes: " + client.nodes().list().getItems().stream().map(n -> n.getMetadata().getName()
                    + (n.getStatus().getAllocatable().containsKey("nvidia.com/gpu") ? " (GPU)" : " (CPU)")).toList());

            step("Running the operator and the pod runner (plays the kubelet: pods run as local processes)");
            try (PodRunner runner = new PodRunner(client, NS, Files.createTempDirectory("demo-pods"))) {
                Operator operator = ClusterSetup.startOperator(client, NS);
                try {
                    run(client, runner);
                } finally {
                    operator.stop();
                }
            }
            step("Done; stopping everything");
        }
    }

    private static void run(KubernetesClient client, PodRunner runner) throws Exception {
        step("Copying Fashion-MNIST and the example's subject map onto the claim, then applying"
                + " manifests/examples/fashion-mnist-cpu.yaml (4 shards x 4 slices, Indexed Job, then serving)");
        ExampleClaim.fill(runner.claims().resolve("unlearning-models"));
        client.load(Files.newInputStream(ProjectPaths.root().resolve("manifests/examples/fashion-mnist-cpu.yaml")))
                .inNamespace(NS).create();
        ShardedModel model = waitFor("version 1 served", () -> client.resources(ShardedModel.class).inNamespace(NS)
                .withName("fashion-mnist").get(), m -> m.getStatus() != null && m.getStatus().getServing().getVersion() != null);
        System.out.println("current version " + model.getStatus().getPublished().getCurrentVersion() + ", serving "
                + model.getStatus().getServing().getVersion() + ", endpoint " + model.getStatus().getServing().getEndpoint());
        model.getStatus().getPublished().getShards().forEach(s -> System.out.printf("  shard %d: %d records, test accuracy %.3f%n",
                s.getShard(), s.getRecords(), s.getTestAccuracy()));
        System.out.println("served version (HTTP header): " + servedVersion(runner));

        step("Applying manifests/examples/forget-records-exact.yaml");
        client.load(Files.newInputStream(ProjectPaths.root().resolve("manifests/examples/forget-records-exact.yaml")))
                .inNamespace(NS).create();
        UnlearningRequest request = waitFor("request Complete", () -> client.resources(UnlearningRequest.class)
                .inNamespace(NS).withName("forget-records-exact").get(), r -> r.getStatus() != null
                && r.getStatus().condition("Complete").map(c -> "True".equals(c.getStatus())).orElse(false)
                || r.getStatus() != null && r.getStatus().condition("Failed").map(c -> "True".equals(c.getStatus())).orElse(false));
        var status = request.getStatus();
        status.getConditions().forEach(c -> System.out.printf("  %-10s %-5s %s%n", c.getType(), c.getStatus(), c.getMessage()));
        System.out.println("affected shards " + status.getAffectedShards() + ", jobs " + status.getJobNames());
        System.out.println("before: " + status.getMetricsBefore());
        System.out.println("after:  " + status.getMetricsAfter());
        waitFor("version " + status.getResultingVersion() + " served", () -> servedVersion(runner),
                v -> String.valueOf(status.getResultingVersion()).equals(v));
        System.out.println("served version (HTTP header): " + servedVersion(runner));

        ModelRepository store = new ModelRepository(new FileBlobStore(runner.claims().resolve("unlearning-models/fashion-mnist")),
                NS, "fashion-mnist");
        String id = status.getCertificate().getEvidenceLocation().replaceAll(".*/", "").replace(".json", "");
        byte[] evidence = store.certificate(id).orElseThrow();
        step("Worker evidence " + status.getCertificate().getEvidenceLocation() + " in the store");
        System.out.println(new String(evidence, StandardCharsets.UTF_8));
        step("Certificate " + status.getCertificate().getLocation() + " (key " + status.getCertificate().getKeyId()
                + "), verified as an auditor would: unlearning-operator verify --certificate ... --public-keys ... "
                + "--namespace " + NS + " --store pvc://unlearning-models/fashion-mnist");
        System.out.print(Auditor.verify(client, NS, status.getCertificate(),
                "file://" + runner.claims().resolve("unlearning-models/fashion-mnist")));
    }

    private static String servedVersion(PodRunner runner) {
        Integer port = runner.portOf("fashion-mnist-serving");
        if (port == null) {
            return null;
        }
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/v2/models/fashion-mnist")).build(), HttpResponse.BodyHandlers.discarding()).headers()
                    .firstValue("Unlearning-Model-Version").orElse(null);
        } catch (Exception e) {
            return null;
        }
    }

    private static <T> T waitFor(String what, Supplier<T> probe, Predicate<T> done) throws InterruptedException {
        long started = System.currentTimeMillis();
        long lastReport = 0;
        while (System.currentTimeMillis() - started < 10 * 60_000) {
            T value = probe.get();
            if (value != null && done.test(value)) {
                System.out.printf("  %s after %d s%n", what, (System.currentTimeMillis() - started) / 1000);
                return value;
            }
            if (System.currentTimeMillis() - lastReport > 15_000) {
                System.out.printf("  waiting for %s...%n", what);
                lastReport = System.currentTimeMillis();
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("timed out waiting for " + what);
    }

    private static void step(String text) {
        System.out.printf("%n\033[1m==> %s\033[0m%n", text);
    }
}
