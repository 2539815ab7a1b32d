package dev.unlearning.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.unlearning.api.Guarantee;
import dev.unlearning.api.ModelProgress;
import dev.unlearning.api.ShardedModel;
import dev.unlearning.api.UnlearningMethod;
import dev.unlearning.api.UnlearningRequest;
import dev.unlearning.operator.conventions.RequestConditions;
import dev.unlearning.store.S3TestServer;
import dev.unlearning.testcluster.ChartRbac;
import dev.unlearning.testcluster.CiSizedExample;
import dev.unlearning.testcluster.ClusterSetup;
import dev.unlearning.testcluster.DocumentedCommands;
import dev.unlearning.testcluster.DocumentedShell;
import dev.unlearning.testcluster.ExampleClaim;
import dev.unlearning.testcluster.HelmInstallLine;
import dev.unlearning.testcluster.LocalCluster;
import dev.unlearning.testcluster.LocalKueue;
import dev.unlearning.testcluster.PodRunner;
import dev.unlearning.testcluster.ProjectPaths;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The documentation, run as written on the local cluster: the README's real-cluster quickstart line by line
 * (kubectl itself; the helm line through the Helm library), with Kueue and its queue objects, the dataset and
 * the store on an S3-compatible server; then every other manifest in manifests/examples/ applied with kubectl
 * until it reaches the end state its comment promises. The operator runs in this JVM as the service account
 * helm installed, configured from the Deployment helm installed; the pod runner plays the kubelet.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ExamplesIT {

    static final String NS = "ml";
    static final Path ROOT = ProjectPaths.root();
    static final Path EXAMPLES = ROOT.resolve("manifests/examples");
    static final Path DATASET = Path.of("/usr/share/datasets/fashion-mnist");
    static final Duration WAIT = Duration.ofMinutes(25);
    static final String GPU_EXAMPLE = "manifests/examples/fashion-mnist-gpu.yaml";

    static LocalCluster cluster;
    static KubernetesClient client;
    static LocalKueue kueue;
    static S3TestServer s3;
    static PodRunner runner;
    static Operator operator;
    static Path logs;
    static Path gpuExampleAtCiSize;
    static final List<String> applied = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        Path state = Files.createTempDirectory("examples-it");
        logs = Files.createDirectories(state.resolve("logs"));
        gpuExampleAtCiSize = CiSizedExample.write(ROOT.resolve(GPU_EXAMPLE), state.resolve("ci-size"));
        cluster = LocalCluster.start();
        client = cluster.client();
        kueue = LocalKueue.start(client, cluster.kubeconfig(), cluster.kubeconfig().getParent());
        // What the README asks for before its block: the dataset's files under s3://datasets/fashion-mnist/ and
        // a bucket for the store.
        s3 = S3TestServer.start(Files.createDirectories(state.resolve("s3")), "datasets", "models");
        try (var files = Files.list(DATASET)) {
            for (Path file : files.toList()) {
                s3.client().putObject(b -> b.bucket("datasets").key("fashion-mnist/" + file.getFileName()), file);
            }
        }
        runner = new PodRunner(client, NS, Files.createDirectories(state.resolve("pods")));
    }

    @AfterAll
    static void stop() throws Exception {
        if (operator != null) {
            operator.stop();
        }
        if (runner != null) {
            runner.close();
        }
        if (kueue != null) {
            kueue.close();
        }
        if (s3 != null) {
            s3.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void theReadmeRealClusterQuickstartRunsAsWritten() throws Exception {
        List<String> commands = DocumentedCommands.readmeBlock(ROOT.resolve("README.md"),
                "### The same on a real cluster, with Helm");
        String lastOutput = "";
        for (String command : commands) {
            List<String> words = DocumentedCommands.words(command);
            if (words.get(0).equals("helm")) {
                HelmInstallLine helm = HelmInstallLine.parse(words, ROOT);
                helm.install(cluster.kubeconfig());
                ChartRbac.Install install = ChartRbac.installed(client, helm.release(), helm.namespace());
                assertThat(install.watchNamespaces()).containsExactly(NS);
                operator = ClusterSetup.startOperator(client, install, install.watchNamespaces());
            } else {
                assertThat(words.get(0)).as("the block runs kubectl and helm only: %s", command).isEqualTo("kubectl");
                lastOutput = shell(command.replace(GPU_EXAMPLE, gpuExampleAtCiSize.toString()));
            }
            words.stream().filter(w -> w.startsWith("manifests/examples/")).forEach(applied::add);
        }

        ShardedModel model = client.resources(ShardedModel.class).inNamespace(NS).withName("fashion-mnist-gpu").get();
        assertThat(model.getStatus().getServing().getVersion()).isEqualTo(2);
        UnlearningRequest request = request("forget-records-gpu");
        assertThat(lastOutput).contains(request.getStatus().getCertificate().getEvidenceLocation())
                .contains("testAccuracy");
        assertThat(request.getStatus().getGuarantee()).isEqualTo(Guarantee.EXACT);
        // Data and store really were S3: the bucket holds the versions and certificates, and no claim was used.
        List<String> stored = s3.client().listObjectsV2Paginator(b -> b.bucket("models").prefix("fashion-mnist-gpu/"))
                .contents().stream().map(o -> o.key()).toList();
        assertThat(stored).anyMatch(k -> k.endsWith("versions/2.json")).anyMatch(k -> k.contains("certificates/"));
        assertThat(client.batch().v1().jobs().inNamespace(NS).list().getItems())
                .filteredOn(j -> j.getMetadata().getName().startsWith("fashion-mnist-gpu-")).isNotEmpty()
                .allSatisfy(j -> assertThat(j.getSpec().getTemplate().getSpec().getVolumes())
                        .noneMatch(v -> v.getPersistentVolumeClaim() != null));
    }

    @Test
    @Order(2)
    void everyOtherExampleReachesTheEndStateItsCommentPromises() throws Exception {
        assertThat(operator).as("the quickstart installed and started the operator").isNotNull();
        // fashion-mnist-cpu.yaml's documented prerequisites: the claim, with the dataset and subject map copied onto it.
        client.load(new ByteArrayInputStream("""
                apiVersion: v1
                kind: PersistentVolume
                metadata: {name: ml-unlearning-models}
                spec:
                  capacity: {storage: 10Gi}
                  accessModes: [ReadWriteMany]
                  storageClassName: manual
                  hostPath: {path: /var/lib/unlearning-models}
                ---
                apiVersion: v1
                kind: PersistentVolumeClaim
                metadata: {name: unlearning-models, namespace: ml}
                spec:
                  accessModes: [ReadWriteMany]
                  storageClassName: manual
                  volumeName: ml-unlearning-models
                  resources: {requests: {storage: 10Gi}}
                """.getBytes(StandardCharsets.UTF_8))).serverSideApply();
        ExampleClaim.fill(runner.claims().resolve("unlearning-models"));

        apply("fashion-mnist-cpu.yaml");
        // A language model beside it, as a team with two models has: trained and served through the same operator
        // while the image model forgets (its own request comes at the end).
        apply("authors-lm.yaml");
        shell("kubectl -n ml wait --for=condition=Ready shardedmodel/fashion-mnist --timeout=20m");

        apply("forget-records-exact.yaml");
        shell("kubectl -n ml wait --for=condition=Complete unlearningrequest/forget-records-exact --timeout=20m");
        assertThat(request("forget-records-exact").getStatus().getGuarantee()).isEqualTo(Guarantee.EXACT);

        apply("forget-class-auto.yaml");
        await().atMost(WAIT).until(() -> condition("forget-trousers", RequestConditions.ROLLED_OUT)
                .map(c -> "AwaitingApproval".equals(c.getReason())).orElse(false));
        assertThat(condition("forget-trousers", RequestConditions.FORGOTTEN).map(Condition::getStatus))
                .as("nothing forgotten while the new version is not served").isNotEqualTo(Optional.of("True"));
        String approve = DocumentedCommands.fromComment(EXAMPLES.resolve("forget-class-auto.yaml"), "serve only after: ");
        assertThat(approve).startsWith("kubectl annotate ");
        shell(approve.replaceFirst("^kubectl ", "kubectl -n ml "));
        awaitForgottenExactlyOrOwed("forget-trousers");

        apply("forget-subject-auto.yaml");
        awaitForgottenExactlyOrOwed("forget-subject-42");
        UnlearningRequest subject = request("forget-subject-42");
        assertThat(subject.getStatus().getMethod()).as("Auto routes a subject straight to Exact (README, Auto routing)")
                .isEqualTo(UnlearningMethod.EXACT);
        assertThat(subject.getStatus().getJobNames()).as("no approximate attempt first")
                .noneMatch(job -> job.matches(".*-(neggradplus|scrub|finetune)$"));

        apply("forget-from-dataset.yaml");
        shell("kubectl -n ml wait --for=condition=Complete unlearningrequest/forget-from-dataset --timeout=20m");
        assertThat(request("forget-from-dataset").getStatus().getModels()).extracting(ModelProgress::getModel)
                .containsExactly("fashion-mnist");

        // The language model, made to forget an author.
        shell("kubectl -n ml wait --for=condition=Ready shardedmodel/authors-lm --timeout=20m");
        apply("forget-author.yaml");
        shell("kubectl -n ml wait --for=condition=Complete unlearningrequest/forget-author --timeout=20m");
        UnlearningRequest author = request("forget-author");
        assertThat(author.getStatus().getMethod()).isEqualTo(UnlearningMethod.EXACT);
        assertThat(author.getStatus().getGuarantee()).isEqualTo(Guarantee.EXACT);
        assertThat(author.getStatus().getAffectedShards()).as("placed by subject: one shard holds the author")
                .hasSize(1);
        assertThat(client.resources(ShardedModel.class).inNamespace(NS).withName("authors-lm").get().getStatus()
                .getServing().getVersion()).isEqualTo(2);

        try (var files = Files.list(EXAMPLES)) {
            assertThat(new TreeSet<>(applied)).as("every example is applied by this test")
                    .containsExactlyElementsOf(new TreeSet<>(files.filter(f -> f.toString().endsWith(".yaml"))
                            .map(f -> "manifests/examples/" + f.getFileName()).toList()));
        }
    }

    /** Forgotten and served; Complete if Exact ran, otherwise owed an exact follow-up with its due time. */
    private static void awaitForgottenExactlyOrOwed(String name) {
        await().atMost(WAIT).until(() -> {
            UnlearningRequest r = request(name);
            return r != null && r.getStatus() != null && ("Complete".equals(r.getStatus().getPhase())
                    || "ExactPending".equals(r.getStatus().getPhase()) || "Failed".equals(r.getStatus().getPhase()));
        });
        UnlearningRequest done = request(name);
        assertThat(done.getStatus().getPhase()).as("%s: %s", name, done.getStatus().getConditions())
                .isIn("Complete", "ExactPending");
        assertThat(condition(name, RequestConditions.FORGOTTEN).map(Condition::getStatus)).contains("True");
        if ("ExactPending".equals(done.getStatus().getPhase())) {
            assertThat(done.getStatus().getExactDue()).as("when the exact retrain is due").isNotBlank();
        }
    }

    private static void apply(String example) throws Exception {
        String path = "manifests/examples/" + example;
        shell("kubectl -n ml apply -f " + path);
        applied.add(path);
    }

    private static UnlearningRequest request(String name) {
        return client.resources(UnlearningRequest.class).inNamespace(NS).withName(name).get();
    }

    private static Optional<Condition> condition(String request, String type) {
        UnlearningRequest r = request(request);
        return r == null || r.getStatus() == null ? Optional.empty() : r.getStatus().condition(type);
    }

    /** Runs one documented command with bash in the repository root, kubectl on the PATH; its output. */
    private static String shell(String command) {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.putAll(s3.environment());
        env.put("PATH", ProjectPaths.testClusterBin() + ":" + System.getenv("PATH"));
        env.put("KUBECONFIG", cluster.kubeconfig().toString());
        return new DocumentedShell(logs, WAIT, () -> client, NS, env).run(command);
    }
}
