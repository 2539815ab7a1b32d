package dev.unlearning.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.unlearning.api.Guarantee;
import dev.unlearning.api.ShardedModel;
import dev.unlearning.api.UnlearningMethod;
import dev.unlearning.api.UnlearningRequest;
import dev.unlearning.engine.data.FashionMnist;
import dev.unlearning.engine.training.ShardArtifacts;
import dev.unlearning.operator.conventions.RequestConditions;
import dev.unlearning.store.attestation.Certificates;
import dev.unlearning.store.Digests;
import dev.unlearning.store.FileBlobStore;
import dev.unlearning.store.IdDigestKey;
import dev.unlearning.store.ModelRepository;
import dev.unlearning.store.ShardEntry;
import dev.unlearning.testcluster.Auditor;
import dev.unlearning.testcluster.Tenant;
import dev.unlearning.operator.conventions.Labels;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import dev.unlearning.testcluster.ClusterSetup;
import dev.unlearning.testcluster.LocalCluster;
import dev.unlearning.testcluster.PodRunner;
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
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Everything together on the local cluster: real controller manager, scheduler and KWOK nodes, the operator
 * in this JVM, and every Job and serving pod run for real by the pod runner from the packaged jar.
 */
class EndToEndIT {

    static final String NS = "e2e";
    static final String KEY = "e2e-certificate-key-0123456789";
    static final Duration SLOW = Duration.ofMinutes(4);

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
        runner = new PodRunner(client, NS, Files.createTempDirectory("pod-runner"));
        operator = ClusterSetup.startOperator(client, NS);
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
    void trainServeForgetExactlyAndServeTheNewVersion() throws Exception {
        client.resource("""
                apiVersion: unlearning.dev/v1alpha1
                kind: ShardedModel
                metadata: {name: fm}
                spec:
                  dataset: {uri: "file:///usr/share/datasets/fashion-mnist"}
                  storage: {uri: "pvc://models/fm"}
                  architecture: {type: mlp, hidden: [32]}
                  sharding: {shards: 2, slices: 2}
                  training: {epochs: 1, batchSize: 128}
                  serving: {replicas: 1, port: 8080}
                  verification: {minTestAccuracy: 0.5}
                  unlearning: {batchingWindowSeconds: 1}
                """).inNamespace(NS).create();

        await().atMost(SLOW).pollInterval(Duration.ofSeconds(1))
                .until(() -> Integer.valueOf(1).equals(model().getStatus().getServing().getVersion()));
        assertThat(servedVersion()).isEqualTo("1");
        ModelRepository store = new ModelRepository(new FileBlobStore(runner.claims().resolve("models/fm")), NS, "fm");
        Set<String> version1Blobs = ModelRepository.referencedBlobs(store.version(1));
        List<String> keysBefore = store.keys();

        // The tenant the certificate holds to account guesses the run's finalize Job name and takes it first, with a
        // Job of its own that ends at once: the operator must neither adopt it nor read it.
        Job taken;
        try (KubernetesClient tenant = Tenant.editor(client, NS)) {
            taken = tenant.resource(new JobBuilder().withNewMetadata().withName("fm-finalize-u1-exact")
                    .addToLabels(Labels.MANAGED_BY, Labels.OPERATOR).endMetadata()
                    .withNewSpec().withNewTemplate().withNewSpec().withRestartPolicy("Never")
                        .addNewContainer().withName("worker").withImage("registry.example/tenant:latest")
                            .withArgs("engine-info").endContainer()
                    .endSpec().endTemplate().endSpec().build()).inNamespace(NS).create();
            tenant.resource("""
                    apiVersion: unlearning.dev/v1alpha1
                    kind: UnlearningRequest
                    metadata: {name: forget}
                    spec:
                      modelRef: {name: fm}
                      forget: {recordIds: [train-5, train-77, train-4242]}
                      method: Exact
                    """).inNamespace(NS).create();
        }

        UnlearningRequest done = awaitFinished(client, NS, "forget");
        assertThat(done.getStatus().getJobNames()).as("the finalize ran under a fresh name")
                .anyMatch(n -> n.startsWith("fm-finalize-u1-exact-")).doesNotContain("fm-finalize-u1-exact");
        assertThat(client.batch().v1().jobs().inNamespace(NS).withName("fm-finalize-u1-exact").get().getMetadata()
                .getUid()).as("the tenant's Job is left alone").isEqualTo(taken.getMetadata().getUid());
        assertThat(client.v1().events().inNamespace(NS).list().getItems())
                .anyMatch(e -> "JobNameTaken".equals(e.getReason()) && e.getMessage().contains("fm-finalize-u1-exact"));
        assertThat(isTrue(done, RequestConditions.COMPLETE)).as("request completed: %s", done.getStatus().getConditions())
                .isTrue();
        assertThat(done.getStatus().getResultingVersion()).isEqualTo(2);
        await().atMost(Duration.ofSeconds(60)).until(() -> "2".equals(servedVersion()));

        for (ShardEntry shard : store.version(2).shards()) {
            assertThat(ShardArtifacts.membership(store, shard)).doesNotContain("train-5", "train-77", "train-4242");
        }
        assertThat(store.certificate(done.getStatus().getCertificate().getEvidenceLocation().replaceAll(".*/", "")
                .replace(".json", ""))).as("the evidence, named with the model's uid").isPresent();
        assertThat(done.getStatus().getCertificate().getEvidenceLocation()).contains(done.getStatus().getBatch() + "-exact-");

        // The store listed after the request: version 1, which held the records, is gone with every blob only it
        // used, and so are the runs' staged files; the erasure certificate names each swept blob by digest.
        List<String> keysAfter = store.keys();
        assertThat(isTrue(done, RequestConditions.ERASED)).isTrue();
        assertThat(done.getStatus().getErasure().getErasedVersions()).containsExactly(1);
        assertThat(store.versions()).containsExactly(2);
        Set<String> onlyVersion1 = new TreeSet<>(version1Blobs);
        onlyVersion1.removeAll(ModelRepository.referencedBlobs(store.version(2)));
        assertThat(onlyVersion1).as("the retrained shards' old checkpoints and memberships").isNotEmpty();
        assertThat(keysAfter).noneMatch(k -> onlyVersion1.stream().anyMatch(k::endsWith))
                .noneMatch(k -> k.contains("/staging/") || k.endsWith("/versions/1.json"));
        assertThat(keysBefore).anyMatch(k -> k.endsWith("/versions/1.json"));
        String erasureId = done.getStatus().getErasure().getCertificate().getEvidenceLocation().replaceAll(".*/", "")
                .replace(".json", "");
        byte[] erasureCertificate = store.certificate(erasureId).orElseThrow();
        assertThat(Certificates.verifyErasure(erasureCertificate, KEY.getBytes(StandardCharsets.UTF_8))).isTrue();
        assertThat(new String(erasureCertificate, StandardCharsets.UTF_8)).contains(onlyVersion1).doesNotContain("train-");
        // Nothing the store keeps names a forgotten record: tombstones and evidence hold keyed digests only.
        try (var files = java.nio.file.Files.walk(runner.claims().resolve("models/fm"))) {
            for (var file : files.filter(java.nio.file.Files::isRegularFile).toList()) {
                String text = java.nio.file.Files.readString(file, StandardCharsets.ISO_8859_1);
                for (String id : List.of("train-5", "train-77", "train-4242")) {
                    assertThat(text).as("%s", file).doesNotContain(id + "\n").doesNotContain("\"" + id + "\"");
                }
            }
        }

        // The operator's own certificates, checked as an auditor would: public keys and the store, nothing else.
        for (var certificate : List.of(done.getStatus().getCertificate(), done.getStatus().getErasure().getCertificate())) {
            assertThat(Auditor.verify(client, NS, certificate, "file://" + runner.claims().resolve("models/fm")))
                    .endsWith("VALID\n").doesNotContain("INVALID");
        }

        // Another model on the same dataset, in another store, created afterwards: the dataset's ledger keeps the
        // records out of its very first version, trained by the real pods from the ledger the operator mounts.
        client.resource("""
                apiVersion: unlearning.dev/v1alpha1
                kind: ShardedModel
                metadata: {name: fm-later}
                spec:
                  dataset: {uri: "file:///usr/share/datasets/fashion-mnist/"}
                  storage: {uri: "pvc://models/fm-later"}
                  architecture: {type: mlp, hidden: [32]}
                  sharding: {shards: 2, slices: 2}
                  training: {epochs: 1, batchSize: 128}
                  serving: {replicas: 0}
                """).inNamespace(NS).create();
        await().atMost(SLOW).pollInterval(Duration.ofSeconds(1)).until(() -> Integer.valueOf(1).equals(client
                .resources(ShardedModel.class).inNamespace(NS).withName("fm-later").get().getStatus().getPublished().getCurrentVersion()));
        ModelRepository later = new ModelRepository(new FileBlobStore(runner.claims().resolve("models/fm-later")),
                NS, "fm-later");
        IdDigestKey idKey = new IdDigestKey(KEY.getBytes(StandardCharsets.UTF_8));
        assertThat(later.version(1).tombstones()).contains(idKey.record("train-5"), idKey.record("train-77"),
                idKey.record("train-4242"));
        for (ShardEntry shard : later.version(1).shards()) {
            assertThat(ShardArtifacts.membership(later, shard)).doesNotContain("train-5", "train-77", "train-4242");
        }
    }

    @Test
    void aKilledWorkerResumesFromItsCheckpointAndAClassForgottenApproximatelyCompletesAsApproximate() throws Exception {
        client.resource("""
                apiVersion: unlearning.dev/v1alpha1
                kind: ShardedModel
                metadata: {name: cls}
                spec:
                  dataset: {uri: "%s"}
                  storage: {uri: "pvc://models/cls"}
                  architecture: {type: mlp, hidden: [32]}
                  sharding: {shards: 2, slices: 4}
                  training: {epochs: 1, batchSize: 128}
                  serving: {replicas: 0}
                  unlearning: {batchingWindowSeconds: 5, exactWithin: 4s}
                  # An approximate method on a class may cost this one-epoch toy model some points on the other
                  # classes; this test is about a shared run and its exact follow-up, so the model accepts that.
                  verification: {maxTestAccuracyDrop: 0.15}
                """.formatted(ownDataset("cls"))).inNamespace(NS).create();
        // Kill a training worker once it has recorded its first slice: its retry must resume there.
        Path progress = await().atMost(SLOW).pollInterval(Duration.ofMillis(50)).until(() -> progressRecord("cls"),
                Optional::isPresent).orElseThrow();
        int shard = Integer.parseInt(progress.getFileName().toString().replaceAll("\\D", ""));
        String job = client.batch().v1().jobs().inNamespace(NS).list().getItems().stream()
                .map(j -> j.getMetadata().getName()).filter(n -> n.startsWith("cls-train-")).findFirst().orElseThrow();
        assertThat(runner.kill(job + "-" + shard + "-")).as("shard %d's worker was still training", shard).isTrue();

        await().atMost(SLOW).pollInterval(Duration.ofSeconds(1)).until(() -> {
            var m = client.resources(ShardedModel.class).inNamespace(NS).withName("cls").get();
            return m.getStatus() != null && Integer.valueOf(1).equals(m.getStatus().getPublished().getCurrentVersion());
        });
        var trainJob = client.batch().v1().jobs().inNamespace(NS).list().getItems().stream()
                .filter(j -> j.getMetadata().getName().startsWith("cls-train-")).findFirst().orElseThrow();
        assertThat(trainJob.getStatus().getFailed()).as("the killed pod failed and was replaced").isGreaterThanOrEqualTo(1);
        assertThat(runner.logs(job + "-" + shard + "-")).as("the replacement resumed from the recorded checkpoint")
                .contains("shard " + shard + ": resuming after slice");

        for (String request : List.of("""
                apiVersion: unlearning.dev/v1alpha1
                kind: UnlearningRequest
                metadata: {name: trousers}
                spec:
                  modelRef: {name: cls}
                  forget: {labels: [1]}
                  # SSD: on a whole class SCRUB leaves the other classes 10 points below a retrain (unlearning benchmark).
                  method: SSD
                  exactFollowUp: false
                  # What "forgotten" means for a class here: its records, and its test images, score at most 5%.
                  # The base version fails this, so it evidences SSD. The gate is this request's own: a request
                  # filed in the same window without it runs apart.
                  verification: {maxForgetAccuracy: 0.05, maxForgottenClassTestAccuracy: 0.05}
                """, """
                apiVersion: unlearning.dev/v1alpha1
                kind: UnlearningRequest
                metadata: {name: one-record}
                spec: {modelRef: {name: cls}, forget: {recordIds: [train-9]}, method: Exact}
                """)) {
            client.resource(request).inNamespace(NS).create();
        }
        // Removing a class (a bias, no law asking) opted out of the exact follow-up: Complete as approximate.
        UnlearningRequest trousers = awaitFinished(client, NS, "trousers");
        assertThat(isTrue(trousers, RequestConditions.COMPLETE)).as("%s", trousers.getStatus().getConditions()).isTrue();
        assertThat(trousers.getStatus().getResultingVersion()).isIn(2, 3);
        assertThat(trousers.getStatus().getBatch()).as("its own run").isNotNull();
        assertThat(trousers.getStatus().getGuarantee()).isEqualTo(Guarantee.APPROXIMATE);
        assertThat(trousers.getStatus().getMetricsAfter()).containsKey("forgottenClassTestAccuracy");
        // The record, filed in the same window with another method and no gate of its own, runs apart.
        UnlearningRequest record = awaitFinished(client, NS, "one-record");
        assertThat(isTrue(record, RequestConditions.COMPLETE)).as("%s", record.getStatus().getConditions()).isTrue();
        assertThat(record.getStatus().getGuarantee()).isEqualTo(Guarantee.EXACT);
        assertThat(record.getStatus().getMethod()).isEqualTo(UnlearningMethod.EXACT);
        assertThat(record.getStatus().getResultingVersion()).isIn(2, 3)
                .isNotEqualTo(trousers.getStatus().getResultingVersion());
        assertThat(record.getStatus().getBatch()).as("a run of its own").isNotEqualTo(trousers.getStatus().getBatch());
        assertThat(client.batch().v1().jobs().inNamespace(NS).list().getItems().stream()
                .map(j -> j.getMetadata().getName()).filter(n -> n.startsWith("cls-unlearn-"))
                .map(n -> n.replaceAll("-u[12]-", "-u-")))
                .as("one run per method and gate").containsExactlyInAnyOrder("cls-unlearn-u-ssd", "cls-unlearn-u-exact");
        ModelRepository store = new ModelRepository(new FileBlobStore(runner.claims().resolve("models/cls")), NS, "cls");
        assertThat(store.versions()).as("the versions that held the class or the record were erased")
                .containsExactly(3);
        for (ShardEntry entry : store.version(3).shards()) {
            // Retrained without the record; SSD, if it ran after, changed weights, not memberships.
            assertThat(ShardArtifacts.membership(store, entry)).doesNotContain("train-9");
        }
    }

    @Test
    void autoFallsBackToExactWhenTheApproximateResultMissesTheGate() throws Exception {
        client.resource("""
                apiVersion: unlearning.dev/v1alpha1
                kind: ShardedModel
                metadata: {name: auto}
                spec:
                  dataset: {uri: "%s"}
                  storage: {uri: "pvc://models/auto"}
                  architecture: {type: mlp, hidden: [32]}
                  sharding: {shards: 2, slices: 2}
                  training: {epochs: 1, batchSize: 128}
                  serving: {replicas: 0}
                  # Auto tries NegGrad+ first on this model; left to itself it would route a class to SalUn.
                  unlearning: {batchingWindowSeconds: 1, method: NegGradPlus}
                """.formatted(ownDataset("auto"))).inNamespace(NS).create();
        await().atMost(SLOW).pollInterval(Duration.ofSeconds(1)).until(() -> {
            var m = client.resources(ShardedModel.class).inNamespace(NS).withName("auto").get();
            return m != null && m.getStatus() != null && Integer.valueOf(1).equals(m.getStatus().getPublished().getCurrentVersion());
        });
        client.resource("""
                apiVersion: unlearning.dev/v1alpha1
                kind: UnlearningRequest
                metadata: {name: auto-class}
                spec:
                  modelRef: {name: auto}
                  forget: {labels: [1]}
                  method: Auto
                  verification: {minTestAccuracy: 0.68}
                """).inNamespace(NS).create();
        UnlearningRequest done = awaitFinished(client, NS, "auto-class");
        // Measured on this model (seeded, one thread per worker): NegGrad+ leaves less than 68% test accuracy (62%
        // with its earlier settings), the exact retrain without the class 72%, so a 68% gate fails the first and
        // passes the fallback.
        assertThat(isTrue(done, RequestConditions.COMPLETE)).as("%s", done.getStatus().getConditions()).isTrue();
        assertThat(done.getStatus().getMethod()).isEqualTo(UnlearningMethod.EXACT);
        assertThat(done.getStatus().getResultingVersion()).isEqualTo(2);
        assertThat(done.getStatus().getMetricsAfter()).containsEntry("forgottenClassTestAccuracy", 0.0);
        assertThat(done.getStatus().getMetricsAfter().get("testAccuracy")).isGreaterThanOrEqualTo(0.68);
        assertThat(client.batch().v1().jobs().inNamespace(NS).withLabel("unlearning.dev/model", "auto").list().getItems()
                .stream().map(j -> j.getMetadata().getName()).filter(n -> !n.startsWith("auto-train-")
                        && !n.startsWith("auto-publish-")))
                .as("the approximate attempt, then the exact fallback on the same run")
                .containsExactlyInAnyOrder("auto-unlearn-u1-neggradplus", "auto-finalize-u1-neggradplus",
                        "auto-unlearn-u1-exact", "auto-finalize-u1-exact", "auto-erase-e1");
        var versions = client.resources(ShardedModel.class).inNamespace(NS).withName("auto").get().getStatus().getPublished().getVersions();
        assertThat(versions).extracting(v -> v.getVersion() + " " + v.getCause())
                .as("the approximate candidate was never published").containsExactly("1 train", "2 unlearn:EXACT");
    }

    @Test
    void aKnnModelForgetsAClassUnderAutoByDroppingItsRecordsFromTheIndex() throws Exception {
        ForeignWorkerIT.writeBlobs(runner.claims().resolve("models/knn-data"));
        client.resource("""
                apiVersion: unlearning.dev/v1alpha1
                kind: ShardedModel
                metadata: {name: gallery}
                spec:
                  dataset: {uri: "pvc://models/knn-data/train.csv", format: csv, testUri: "pvc://models/knn-data/test.csv"}
                  storage: {uri: "pvc://models/gallery"}
                  architecture: {type: knn, neighbours: 3}
                  sharding: {shards: 2, slices: 2, placement: ByRecord}
                  serving: {replicas: 1}
                  unlearning: {batchingWindowSeconds: 1}
                """).inNamespace(NS).create();
        await().atMost(SLOW).pollInterval(Duration.ofSeconds(1)).until(() -> "1".equals(servedVersion(runner, "gallery")));
        client.resource("""
                apiVersion: unlearning.dev/v1alpha1
                kind: UnlearningRequest
                metadata: {name: forget-class-2}
                spec:
                  modelRef: {name: gallery}
                  forget: {labels: [2]}
                  method: Auto
                """).inNamespace(NS).create();
        UnlearningRequest done = awaitFinished(client, NS, "forget-class-2");
        assertThat(isTrue(done, RequestConditions.COMPLETE)).as("%s", done.getStatus().getConditions()).isTrue();
        assertThat(done.getStatus().getMethod()).as("Auto on a class: SalUn for a network, Exact for an index")
                .isEqualTo(UnlearningMethod.EXACT);
        assertThat(done.getStatus().getMetricsAfter()).containsEntry("forgottenClassTestAccuracy", 0.0);
        assertThat(client.batch().v1().jobs().inNamespace(NS).withLabel("unlearning.dev/model", "gallery").list()
                .getItems().stream().map(j -> j.getMetadata().getName()).filter(n -> n.contains("-u1-")))
                .as("no approximate attempt").containsExactlyInAnyOrder("gallery-unlearn-u1-exact",
                        "gallery-finalize-u1-exact");
        await().atMost(Duration.ofSeconds(60)).until(() -> "2".equals(servedVersion(runner, "gallery")));
    }

    @Test
    void aDryRunReportsOutliersAndChangesNothingThenTheSameSelectorForgetsThem() throws Exception {
        ForeignWorkerIT.writeBlobs(runner.claims().resolve("models/suspect-data"));
        client.resource("""
                apiVersion: unlearning.dev/v1alpha1
                kind: ShardedModel
                metadata: {name: suspects}
                spec:
                  dataset: {uri: "pvc://models/suspect-data/train.csv", format: csv, testUri: "pvc://models/suspect-data/test.csv"}
                  storage: {uri: "pvc://models/suspects"}
                  architecture: {type: knn, neighbours: 3}
                  sharding: {shards: 2, slices: 2, placement: ByRecord}
                  serving: {replicas: 0}
                  unlearning: {batchingWindowSeconds: 1}
                """).inNamespace(NS).create();
        await().atMost(SLOW).pollInterval(Duration.ofSeconds(1)).until(() -> {
            ShardedModel m = client.resources(ShardedModel.class).inNamespace(NS).withName("suspects").get();
            return m.getStatus() != null && Integer.valueOf(1).equals(m.getStatus().getPublished().getCurrentVersion());
        });
        String selector = "forget: {outliers: {detector: IsolationForest, contamination: 0.02}}";
        client.resource("""
                apiVersion: unlearning.dev/v1alpha1
                kind: UnlearningRequest
                metadata: {name: find-suspects}
                spec:
                  modelRef: {name: suspects}
                  dryRun: true
                  %s
                """.formatted(selector)).inNamespace(NS).create();
        UnlearningRequest reported = await("find-suspects").atMost(SLOW).pollInterval(Duration.ofSeconds(1))
                .until(() -> request("find-suspects"), r -> r != null && r.getStatus() != null
                        && (isTrue(r, RequestConditions.DETECTED) || isTrue(r, RequestConditions.FAILED)));
        assertThat(isTrue(reported, RequestConditions.DETECTED)).as("%s", reported.getStatus().getConditions()).isTrue();
        assertThat(reported.getStatus().getPhase()).isEqualTo("Reported");
        assertThat(reported.getStatus().condition(RequestConditions.COMPLETE)).as("a dry run forgets nothing").isEmpty();
        // ceil(0.02 × 450 training records).
        assertThat(reported.getStatus().getDetection().getFound()).isEqualTo(9);
        // The report's key, in the model's store (storage.uri pvc://models/suspects).
        Path report = runner.claims().resolve("models/suspects").resolve(reported.getStatus().getDetection().getReport());
        assertThat(report).exists();
        assertThat(Digests.sha256(Files.readAllBytes(report))).isEqualTo(reported.getStatus().getDetection()
                .getReportDigest());
        ShardedModel untouched = client.resources(ShardedModel.class).inNamespace(NS).withName("suspects").get();
        assertThat(untouched.getStatus().getPublished().getVersions()).extracting(v -> v.getVersion() + " " + v.getCause())
                .as("the dry run published nothing").containsExactly("1 train");
        assertThat(client.batch().v1().jobs().inNamespace(NS).withLabel("unlearning.dev/model", "suspects").list()
                .getItems().stream().map(j -> j.getMetadata().getName()).filter(n -> !n.contains("-train-")
                        && !n.contains("-publish-")))
                .as("one detect Job, no unlearning").singleElement().asString().startsWith("suspects-detect-");

        client.resource("""
                apiVersion: unlearning.dev/v1alpha1
                kind: UnlearningRequest
                metadata: {name: forget-suspects}
                spec:
                  modelRef: {name: suspects}
                  %s
                """.formatted(selector)).inNamespace(NS).create();
        UnlearningRequest done = awaitFinished(client, NS, "forget-suspects");
        assertThat(isTrue(done, RequestConditions.COMPLETE)).as("%s", done.getStatus().getConditions()).isTrue();
        assertThat(done.getStatus().getMethod()).as("Auto routes detected outliers to Exact")
                .isEqualTo(UnlearningMethod.EXACT);
        assertThat(done.getStatus().getForgottenRecords()).as("what the dry run reported is what is forgotten")
                .isEqualTo(reported.getStatus().getDetection().getFound());
        assertThat(request("find-suspects").getStatus().getPhase()).as("the dry run stays as it ended")
                .isEqualTo("Reported");
    }

    /**
     * Fashion-MNIST under a URI of the test's own: the namespace's models share dataset ledgers by URI, and this
     * test's model must not leave out what another test's requests forgot (the ledger's very purpose).
     */
    static String ownDataset(String test) throws IOException {
        Path dir = Files.createTempDirectory("dataset-" + test);
        return "file://" + Files.createSymbolicLink(dir.resolve("fashion-mnist"), FashionMnist.defaultDir());
    }

    /** The first per-shard training progress record a worker wrote for the model, if any yet. */
    static Optional<Path> progressRecord(String model) throws Exception {
        Path root = runner.claims().resolve("models/" + model);
        if (!Files.exists(root)) {
            return Optional.empty();
        }
        try (var files = Files.walk(root)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".progress.json")).findFirst();
        }
    }

    static ShardedModel model() {
        return client.resources(ShardedModel.class).inNamespace(NS).withName("fm").get();
    }

    static UnlearningRequest request(String name) {
        return client.resources(UnlearningRequest.class).inNamespace(NS).withName(name).get();
    }

    /** Waits until the request is Complete or Failed, and returns it. */
    static UnlearningRequest awaitFinished(KubernetesClient client, String namespace, String name) {
        return await(name).atMost(SLOW).pollInterval(Duration.ofSeconds(1))
                .until(() -> client.resources(UnlearningRequest.class).inNamespace(namespace).withName(name).get(),
                        r -> r != null && r.getStatus() != null
                                && (isTrue(r, RequestConditions.COMPLETE) || isTrue(r, RequestConditions.FAILED)));
    }

    static boolean isTrue(UnlearningRequest r, String type) {
        return r.getStatus().condition(type).map(c -> "True".equals(c.getStatus())).orElse(false);
    }

    static String servedVersion() {
        return servedVersion(runner, "fm");
    }

    /** The version header of the model's serving pod, run by the pod runner; null while none answers. */
    static String servedVersion(PodRunner runner, String model) {
        Integer port = runner.portOf(model + "-serving");
        if (port == null) {
            return null;
        }
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/v2/models/" + model)).build(), HttpResponse.BodyHandlers.discarding()).headers()
                    .firstValue("Unlearning-Model-Version").orElse(null);
        } catch (Exception e) {
            return null;
        }
    }

}
