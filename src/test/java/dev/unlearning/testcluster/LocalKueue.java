package dev.unlearning.testcluster;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.WebhookClientConfig;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.WebhookClientConfigBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.awaitility.Awaitility;

/**
 * Kueue, built by test-cluster/build.sh from its Go module, running against a {@link LocalCluster} as its
 * documentation describes for clusters without cert-manager: internal certificate management off, a serving
 * certificate we make (for 127.0.0.1), and its webhooks registered by URL with that CA, since the local API
 * server reaches no Service. Only the Job integration and Kueue's own kinds are wired; the on-demand visibility
 * API is off (it needs an aggregated API server).
 */
public final class LocalKueue implements AutoCloseable {

    /** cmd/kueue reads the metrics serving certificate from this fixed path when it does not make its own. */
    static final Path METRICS_CERTS = Path.of("/etc/kueue/metrics/certs");

    private final Process process;

    private LocalKueue(Process process) {
        this.process = process;
    }

    public static LocalKueue start(KubernetesClient admin, Path kubeconfig, Path state) {
        Path bin = ProjectPaths.testClusterBin();
        try {
            Path certs = Files.createDirectories(state.resolve("kueue-certs"));
            run(List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
                    "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout",
                    certs.resolve("tls.key").toString(), "-out", certs.resolve("tls.crt").toString()));
            linkMetricsCertificates(certs);
            installCrds(admin, bin.resolve("kueue-config/crd"));
            int webhookPort = LocalCluster.freePort();
            int healthPort = LocalCluster.freePort();
            Path config = Files.writeString(state.resolve("kueue-config.yaml"), """
                    apiVersion: config.kueue.x-k8s.io/v1beta2
                    kind: Configuration
                    namespace: kueue-system
                    health: {healthProbeBindAddress: "127.0.0.1:%d"}
                    metrics: {bindAddress: "0"}
                    webhook: {port: %d, host: 127.0.0.1, certDir: %s}
                    leaderElection: {leaderElect: false}
                    internalCertManagement: {enable: false}
                    integrations: {frameworks: ["batch/job"]}
                    """.formatted(healthPort, webhookPort, certs));
            admin.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata()
                    .withName("kueue-system").endMetadata().build()).serverSideApply();
            // Beside the cluster's state, not in it: the log outlives the cluster that stop deletes.
            Path log = state.resolveSibling(state.getFileName() + "-kueue.log");
            Process process = new ProcessBuilder(bin.resolve("kueue").toString(), "--config", config.toString(),
                    "--kubeconfig", kubeconfig.toString(), "--feature-gates=VisibilityOnDemand=false")
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            LocalKueue kueue = new LocalKueue(process);
            HttpClient http = HttpClient.newHttpClient();
            Awaitility.await("Kueue ready (see " + log + ")").atMost(60, TimeUnit.SECONDS)
                    .pollInterval(java.time.Duration.ofMillis(500))
                    .until(() -> {
                        if (!process.isAlive()) {
                            throw new IllegalStateException("Kueue exited; see " + log);
                        }
                        try {
                            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + healthPort
                                    + "/readyz")).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
                        } catch (IOException e) {
                            return false;
                        }
                    });
            registerWebhooks(admin, bin.resolve("kueue-config/webhooks.yaml"), webhookPort,
                    Files.readAllBytes(certs.resolve("tls.crt")));
            return kueue;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void linkMetricsCertificates(Path certs) throws IOException {
        try {
            Files.createDirectories(METRICS_CERTS.getParent());
            Files.deleteIfExists(METRICS_CERTS);
            Files.createSymbolicLink(METRICS_CERTS, certs);
        } catch (IOException e) {
            throw new IllegalStateException("Kueue reads its metrics certificate from " + METRICS_CERTS
                    + " (fixed in cmd/kueue); this test links it to " + certs + " and needs write access there", e);
        }
    }

    private static void installCrds(KubernetesClient admin, Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                try (InputStream in = Files.newInputStream(file)) {
                    CustomResourceDefinition crd = admin.getKubernetesSerialization().unmarshal(in,
                            CustomResourceDefinition.class);
                    admin.apiextensions().v1().customResourceDefinitions().resource(crd).forceConflicts()
                            .serverSideApply();
                    admin.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName())
                            .waitUntilCondition(c -> c != null && c.getStatus() != null && c.getStatus().getConditions() != null && c.getStatus().getConditions()
                                    .stream().anyMatch(x -> "Established".equals(x.getType())
                                            && "True".equals(x.getStatus())), 60, TimeUnit.SECONDS);
                }
            }
        }
    }

    /** Kueue's Job and own-kind webhooks, pointed at the local process by URL with our CA. */
    private static void registerWebhooks(KubernetesClient admin, Path manifests, int port, byte[] ca)
            throws IOException {
        Predicate<String> wanted = path -> path.contains("batch-v1-job") || path.contains("kueue-x-k8s-io");
        String caBundle = Base64.getEncoder().encodeToString(ca);
        try (InputStream in = Files.newInputStream(manifests)) {
            for (HasMetadata object : admin.load(in).items()) {
                if (object instanceof MutatingWebhookConfiguration m) {
                    m.setWebhooks(m.getWebhooks().stream().filter(w -> wanted.test(path(w.getClientConfig())))
                            .peek(w -> w.setClientConfig(byUrl(w.getClientConfig(), port, caBundle))).toList());
                } else if (object instanceof ValidatingWebhookConfiguration v) {
                    v.setWebhooks(v.getWebhooks().stream().filter(w -> wanted.test(path(w.getClientConfig())))
                            .peek(w -> w.setClientConfig(byUrl(w.getClientConfig(), port, caBundle))).toList());
                }
                object.setMetadata(new ObjectMetaBuilder().withName("kueue-" + object.getMetadata().getName()).build());
                admin.resource(object).forceConflicts().serverSideApply();
            }
        }
    }

    private static String path(WebhookClientConfig config) {
        return config.getService() == null ? "" : config.getService().getPath();
    }

    private static WebhookClientConfig byUrl(WebhookClientConfig config, int port, String caBundle) {
        return new WebhookClientConfigBuilder().withUrl("https://127.0.0.1:" + port + path(config))
                .withCaBundle(caBundle).build();
    }

    private static void run(List<String> command) throws IOException {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            process.waitFor(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process.destroyForcibly();
    }
}
