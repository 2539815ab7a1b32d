package dev.unlearning.testcluster;

import static org.awaitility.Awaitility.await;

import dev.unlearning.operator.CrdCheck;
import dev.unlearning.operator.OperatorWiring;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.OperatorException;
import io.vertx.core.http.HttpClosedException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * What the demo, the end-to-end tests and the scale benchmark set up on a fresh local cluster, in one place:
 * the CRDs, a namespace the operator's workers can run in, and the operator itself in this JVM.
 */
public final class ClusterSetup {

    private ClusterSetup() {
    }

    /** Applies crds/ and waits until the API server serves every kind. */
    public static void installCrds(KubernetesClient client) throws IOException {
        List<Path> crds;
        try (var files = Files.list(ProjectPaths.crds())) {
            crds = files.sorted().toList();
        }
        for (Path crd : crds) {
            try (InputStream in = Files.newInputStream(crd)) {
                client.load(in).serverSideApply();
            }
        }
        await("CRDs established").atMost(Duration.ofSeconds(60)).until(() -> client.apiextensions().v1()
                .customResourceDefinitions().list().getItems().stream()
                .filter(c -> c.getSpec().getGroup().equals("unlearning.dev") && c.getStatus() != null
                        && c.getStatus().getConditions() != null && c.getStatus().getConditions().stream()
                                .anyMatch(x -> "Established".equals(x.getType()) && "True".equals(x.getStatus())))
                .count() == crds.size());
    }

    /**
     * The namespace, the workers' service account, the certificate key, and the store's claim bound to a
     * pre-provisioned volume (the local cluster has no provisioner).
     */
    public static void workerNamespace(KubernetesClient client, String namespace, String claim, String signingKey) {
        String yaml = """
                apiVersion: v1
                kind: Namespace
                metadata: {name: %1$s}
                ---
                apiVersion: v1
                kind: ServiceAccount
                metadata: {name: unlearning-worker, namespace: %1$s}
                automountServiceAccountToken: false
                ---
                apiVersion: v1
                kind: Secret
                metadata: {name: unlearning-id-key, namespace: %1$s}
                stringData: {key: %3$s}
                ---
                apiVersion: v1
                kind: PersistentVolume
                metadata: {name: %1$s-%2$s}
                spec:
                  capacity: {storage: 10Gi}
                  accessModes: [ReadWriteMany]
                  storageClassName: manual
                  hostPath: {path: /var/lib/unlearning-%1$s}
                ---
                apiVersion: v1
                kind: PersistentVolumeClaim
                metadata: {name: %2$s, namespace: %1$s}
                spec:
                  accessModes: [ReadWriteMany]
                  storageClassName: manual
                  volumeName: %1$s-%2$s
                  resources: {requests: {storage: 10Gi}}
                """.formatted(namespace, claim, signingKey);
        client.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).serverSideApply();
    }

    /**
     * A fresh operator watching one namespace, as a new pod would start: nothing carried over. It runs as the
     * chart's service account under the chart's own RBAC (installed cluster-wide, released into
     * {@code namespace}), never as the admin: a permission the chart lacks fails here, not in production.
     */
    public static Operator startOperator(KubernetesClient client, String namespace) {
        ChartRbac.Install install = ChartRbac.apply(client, "unlearning-operator", namespace, List.of());
        return startOperator(client, install, List.of(namespace));
    }

    /**
     * The operator of an install (rendered by the test, or put there by {@code helm install}), started in this
     * JVM as its service account with the settings its Deployment's environment gives, watching {@code watch}.
     */
    public static Operator startOperator(KubernetesClient admin, ChartRbac.Install install, List<String> watch) {
        // A connection the API server closes while the informers first list is what a crash-looping pod would
        // retry after: start again on a fresh client, as the restarted pod would (seen in 2 of 3 CI runs on
        // 2026-12-01, each in the first seconds after an IT's cluster came up).
        for (int attempt = 1;; attempt++) {
            try {
                return startOnce(admin, install, watch);
            } catch (OperatorException e) {
                if (attempt >= 3 || !closedConnection(e)) {
                    throw e;
                }
            }
        }
    }

    private static boolean closedConnection(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof HttpClosedException) {
                return true;
            }
        }
        return false;
    }

    private static Operator startOnce(KubernetesClient admin, ChartRbac.Install install, List<String> watch) {
        KubernetesClient asOperator = install.client(admin);
        OperatorWiring wiring = OperatorWiring.create(asOperator, install.settings(), Clock.systemUTC(),
                new SimpleMeterRegistry());
        if (install.crdValidation()) {
            CrdCheck.verify(asOperator);   // as OperatorCommand does before it starts the operator
        }
        Operator operator = new Operator(o -> o.withKubernetesClient(asOperator).withCloseClientOnStop(true)
                .checkingCRDAndValidateLocalModel(false));
        Set<String> namespaces = Set.copyOf(watch);
        operator.register(wiring.modelReconciler(), c -> c.settingNamespaces(namespaces));
        operator.register(wiring.requestReconciler(), c -> c.settingNamespaces(namespaces));
        try {
            operator.start();
        } catch (OperatorException e) {
            operator.stop();
            throw e;
        }
        return operator;
    }
}
