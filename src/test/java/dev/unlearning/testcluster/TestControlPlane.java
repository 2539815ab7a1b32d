package dev.unlearning.testcluster;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One real kube-apiserver + etcd per test JVM (built from Go modules by test-cluster/build.sh), with the
 * project's CRDs installed. Starting it costs a few seconds, so every test shares it and isolates itself
 * in a namespace of its own.
 */
public final class TestControlPlane {

    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(120);

    private static TestControlPlane instance;

    private final KubeAPIServer server;
    private final KubernetesClient client;

    private TestControlPlane() {
        Path dir = ProjectPaths.testClusterDir();
        String version = ProjectPaths.kubernetesVersion();
        Path binaries = dir.resolve("k8s").resolve(version + "-linux-amd64");
        for (String binary : List.of("kube-apiserver", "etcd", "kubectl")) {
            if (!Files.isExecutable(binaries.resolve(binary))) {
                throw new IllegalStateException(binaries.resolve(binary)
                        + " is missing: run test-cluster/build.sh (./mvnw verify runs it for you)");
            }
        }
        awaitClockClearOfMidnight(STARTUP_TIMEOUT);
        server = new KubeAPIServer(KubeAPIServerConfigBuilder.anAPIServerConfig()
                .withTestDir(dir.toString())
                .withApiServerVersion(version)
                .withOfflineMode(true)
                .withUpdateKubeConfig(false)
                .withStartupTimeout((int) STARTUP_TIMEOUT.toMillis())
                .build());
        server.start();
        client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(server.getKubeConfigYaml())).build();
        Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "test-control-plane-stop"));
    }

    /**
     * kube-api-test (7.4.0, and its main branch as of 2026-12) checks its startup timeout on {@link LocalTime}: a
     * start whose deadline falls past midnight reads as timed out at once. A CI run on 2026-12-01 started its
     * control plane at 23:59:58 and every test of that JVM failed with "Kube API Server did not start properly"
     * within 3 seconds. Waiting until the deadline no longer wraps costs at most the timeout, near midnight only.
     */
    static void awaitClockClearOfMidnight(Duration timeout) {
        await("the local clock clear of midnight, for kube-api-test's LocalTime deadline")
                .atMost(timeout.plusSeconds(30)).pollInterval(Duration.ofSeconds(1))
                .until(() -> !deadlineWrapsPastMidnight(LocalTime.now(), timeout));
    }

    /** Whether {@code start + timeout}, as a time of day, comes before {@code start}: it crossed midnight. */
    static boolean deadlineWrapsPastMidnight(LocalTime start, Duration timeout) {
        return start.plus(timeout).isBefore(start);
    }

    public static synchronized TestControlPlane get() {
        if (instance == null) {
            instance = new TestControlPlane();
            instance.installCrds();
        }
        return instance;
    }

    public KubernetesClient client() {
        return client;
    }

    public String kubeConfigYaml() {
        return server.getKubeConfigYaml();
    }

    /** A fresh namespace, so tests never see each other's objects. */
    public String newNamespace(String prefix) {
        String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
                .create();
        return name;
    }

    private void installCrds() {
        try (Stream<Path> files = Files.list(ProjectPaths.crds())) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yml")).sorted().toList()) {
                try (InputStream in = Files.newInputStream(file)) {
                    CustomResourceDefinition crd = client.getKubernetesSerialization()
                            .unmarshal(in, CustomResourceDefinition.class);
                    client.apiextensions().v1().customResourceDefinitions().resource(crd)
                            .forceConflicts().serverSideApply();
                    client.apiextensions().v1().customResourceDefinitions().resource(crd)
                            .waitUntilCondition(TestControlPlane::established, 60, TimeUnit.SECONDS);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean established(CustomResourceDefinition crd) {
        return crd != null && crd.getStatus() != null && crd.getStatus().getConditions() != null
                && crd.getStatus().getConditions().stream()
                .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private void stop() {
        client.close();
        server.stop();
    }
}
