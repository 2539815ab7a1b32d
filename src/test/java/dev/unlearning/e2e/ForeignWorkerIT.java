package dev.unlearning.e2e;

import static dev.unlearning.e2e.EndToEndIT.awaitFinished;
import static dev.unlearning.e2e.EndToEndIT.isTrue;
import static dev.unlearning.e2e.EndToEndIT.servedVersion;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.unlearning.api.ShardedModel;
import dev.unlearning.api.UnlearningMethod;
import dev.unlearning.api.UnlearningRequest;
import dev.unlearning.engine.training.ShardArtifacts;
import dev.unlearning.operator.conventions.RequestConditions;
import dev.unlearning.store.attestation.Certificates;
import dev.unlearning.store.FileBlobStore;
import dev.unlearning.store.IdDigestKey;
import dev.unlearning.store.ModelRepository;
import dev.unlearning.store.ShardEntry;
import dev.unlearning.testcluster.Auditor;
import dev.unlearning.testcluster.ChartRbac;
import dev.unlearning.testcluster.ClusterSetup;
import dev.unlearning.testcluster.LocalCluster;
import dev.unlearning.testcluster.PodRunner;
import dev.unlearning.testcluster.ProjectPaths;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The worker contract (docs/worker-contract.md) proven by a second implementation: src/test/python/minimal_worker.py,
 * written in Python from the contract alone, is the image of a ShardedModel. The operator, installed under the
 * chart's RBAC with that image on its allow-list, drives it through training, publishing, an exact unlearning run,
 * the gate, the certificate, the serving rollout and the erasure; the project's own store reader and the auditor's
 * {@code verify} then check what the foreign worker wrote, and a method it cannot do fails closed.
 */
class ForeignWorkerIT {

    static final String NS = "foreign";
    static final String KEY = "foreign-id-key-0123456789";
    static final String IMAGE_REPOSITORY = "registry.example.org/team/minimal-python-worker";
    static final Duration SLOW = Duration.ofMinutes(4);
    static final List<String> FORGOTTEN = List.of("rec-5", "rec-77", "rec-301");

    static LocalCluster cluster;
    static KubernetesClient client;
    static PodRunner runner;
    static Operator operator;

    @BeforeAll
    static void start() throws Exception {
        cluster = LocalCluster.start();
        client = cluster.client();
        ClusterSetup.installCrds(client);
        ClusterSetup.workerNamespace(client, NS, "models", KEY);
        // The image's ENTRYPOINT is the script under the system Python, as the team's Containerfile would set it.
        runner = new PodRunner(client, NS, Files.createTempDirectory("pod-runner"), Map.of(IMAGE_REPOSITORY + ":",
                List.of("/usr/bin/python3", ProjectPaths.root().resolve("src/test/python/minimal_worker.py").toString())));
        writeBlobs(runner.claims().resolve("models/data"));
        // What the administrator does for a team's own worker: allow its repository (docs/worker-contract.md, 1).
        ChartRbac.Install install = ChartRbac.apply(client, "unlearning-operator", NS, List.of(),
                Map.of("worker.allowedImages[0]", IMAGE_REPOSITORY + ":"));
        operator = ClusterSetup.startOperator(client, install, List.of(NS));
    }

    @AfterAll
    static void stop() {
        if (operator != null) {
            operator.stop();
        }
        if (runner != null) {
            runner.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void theOperatorDrivesAWorkerWrittenFromTheContractAloneEndToEnd() throws Exception {
        client.resource("""
                apiVersion: unlearning.dev/v1alpha1
                kind: ShardedModel
                metadata: {name: blobs}
                spec:
                  dataset: {uri: "pvc://models/data/train.csv", format: csv, testUri: "pvc://models/data/test.csv"}
                  storage: {uri: "pvc://models/store"}
                  architecture: {type: mlp, hidden: []}
                  sharding: {shards: 2, slices: 2, placement: ByRecord}
                  training: {epochs: 5, batchSize: 16, learningRate: 0.1}
                  serving: {replicas: 1, port: 8080}
                  runtime: {image: "%s:0.1"}
                  unlearning: {batchingWindowSeconds: 1}
                """.formatted(IMAGE_REPOSITORY)).inNamespace(NS).create();

        await().atMost(SLOW).pollInterval(Duration.ofSeconds(1))
                .until(() -> Integer.valueOf(1).equals(model().getStatus().getServing().getVersion()));
        assertThat(servedVersion(runner, "blobs")).isEqualTo("1");
        HttpResponse<String> answer = infer();
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).contains("\"model_version\": \"1\"");
        assertThat(runner.logs("blobs-train-")).doesNotContain("Traceback");

        client.resource("""
                apiVersion: unlearning.dev/v1alpha1
                kind: UnlearningRequest
                metadata: {name: forget}
                spec:
                  modelRef: {name: blobs}
                  forget: {recordIds: [%s]}
                  method: Exact
                """.formatted(String.join(", ", FORGOTTEN))).inNamespace(NS).create();
        UnlearningRequest done = awaitFinished(client, NS, "forget");
        assertThat(isTrue(done, RequestConditions.COMPLETE)).as("request completed: %s", done.getStatus().getConditions())
                .isTrue();
        assertThat(done.getStatus().getResultingVersion()).isEqualTo(2);
        assertThat(done.getStatus().getForgottenRecords()).isEqualTo(FORGOTTEN.size());
        // The worker measured what the relative gate defaults need; the operator re-applied the gate to them.
        assertThat(done.getStatus().getMetricsAfter()).containsKeys("forgetAccuracyGap", "forgetAccuracyGapNoise",
                "miaAdvantage", "miaAdvantageNoise", "testAccuracyDrop");
        await().atMost(Duration.ofSeconds(60)).until(() -> "2".equals(servedVersion(runner, "blobs")));
        await().atMost(SLOW).until(() -> isTrue(request("forget"), RequestConditions.ERASED));
        done = request("forget");
        assertThat(done.getStatus().getErasure().getErasedVersions()).containsExactly(1);

        // What the foreign worker wrote, read by the project's own store code: the contract's formats are the same.
        ModelRepository store = new ModelRepository(new FileBlobStore(runner.claims().resolve("models/store")), NS,
                "blobs");
        IdDigestKey idKey = new IdDigestKey(KEY.getBytes(StandardCharsets.UTF_8));
        assertThat(store.versions()).containsExactly(2);
        assertThat(store.version(2).tombstones()).containsAll(FORGOTTEN.stream().map(idKey::record).toList());
        for (ShardEntry shard : store.version(2).shards()) {
            assertThat(ShardArtifacts.membership(store, shard)).doesNotContainAnyElementsOf(FORGOTTEN).isNotEmpty();
        }
        byte[] evidence = store.certificate(done.getStatus().getCertificate().getEvidenceLocation().replaceAll(".*/", "")
                .replace(".json", "")).orElseThrow();
        assertThat(Certificates.verify(evidence, KEY.getBytes(StandardCharsets.UTF_8))).as("evidence seal").isTrue();
        String erasureId = done.getStatus().getErasure().getCertificate().getEvidenceLocation().replaceAll(".*/", "")
                .replace(".json", "");
        assertThat(Certificates.verifyErasure(store.certificate(erasureId).orElseThrow(),
                KEY.getBytes(StandardCharsets.UTF_8))).as("erasure evidence seal").isTrue();
        for (var certificate : List.of(done.getStatus().getCertificate(), done.getStatus().getErasure().getCertificate())) {
            assertThat(Auditor.verify(client, NS, certificate, "file://" + runner.claims().resolve("models/store")))
                    .endsWith("VALID\n").doesNotContain("INVALID");
        }

        // A method the worker cannot do fails closed: exit 2, the request fails, nothing is published or served.
        client.resource("""
                apiVersion: unlearning.dev/v1alpha1
                kind: UnlearningRequest
                metadata: {name: approximate}
                spec:
                  modelRef: {name: blobs}
                  forget: {recordIds: [rec-12]}
                  method: NegGradPlus
                """).inNamespace(NS).create();
        UnlearningRequest refused = awaitFinished(client, NS, "approximate");
        assertThat(isTrue(refused, RequestConditions.FAILED)).as("%s", refused.getStatus().getConditions()).isTrue();
        assertThat(refused.getStatus().getMethod()).isEqualTo(UnlearningMethod.NEG_GRAD_PLUS);
        assertThat(runner.logs("blobs-unlearn-")).contains("EXACT only, not NEG_GRAD_PLUS");
        assertThat(store.versions()).containsExactly(2);
        assertThat(servedVersion(runner, "blobs")).isEqualTo("2");
    }

    static ShardedModel model() {
        return client.resources(ShardedModel.class).inNamespace(NS).withName("blobs").get();
    }

    static UnlearningRequest request(String name) {
        return client.resources(UnlearningRequest.class).inNamespace(NS).withName(name).get();
    }

    static HttpResponse<String> infer() throws IOException, InterruptedException {
        String body = "{\"inputs\":[{\"name\":\"features\",\"shape\":[2,4],\"datatype\":\"FP32\","
                + "\"data\":[2,0,0,1,0,2,1,0]}]}";
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + runner.portOf("blobs-serving") + "/v2/models/blobs/infer")).POST(HttpRequest.BodyPublishers
                .ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Three Gaussian blobs in four features: a CSV dataset and its held-out test set, fixed by a seed. */
    static void writeBlobs(Path dir) throws IOException {
        Files.createDirectories(dir);
        double[][] centres = {{2, 0, 0, 1}, {0, 2, 1, 0}, {-1, -1, 2, 2}};
        Random random = new Random(7);
        for (String split : List.of("train", "test")) {
            StringBuilder csv = new StringBuilder("id,subject,label,f0,f1,f2,f3\n");
            int rows = split.equals("train") ? 450 : 150;
            for (int i = 0; i < rows; i++) {
                int label = i % 3;
                csv.append(split.equals("train") ? "rec" : "held").append('-').append(i).append(",s").append(i % 50).append(',').append(label);
                for (double centre : centres[label]) {
                    csv.append(String.format(Locale.ROOT, ",%.4f", centre + 1.2 * random.nextGaussian()));
                }
                csv.append('\n');
            }
            Files.writeString(dir.resolve(split + ".csv"), csv);
        }
    }
}
