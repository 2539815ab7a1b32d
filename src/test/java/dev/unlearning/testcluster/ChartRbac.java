package dev.unlearning.testcluster;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import dev.unlearning.operator.config.OperatorSettings;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Optional;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The chart's own RBAC on a test cluster, and a client that acts as the operator's service account under it
 * (impersonation by the admin), so the operator in a test can do exactly what the installed one may. Only
 * accounts and RBAC objects are applied: the operator runs in the test's JVM, configured as the chart's
 * Deployment configures it.
 */
public final class ChartRbac {

    private static final Set<String> APPLIED = Set.of("ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role",
            "RoleBinding");

    /** What was installed: who the operator is, and the literal environment the chart gives its container. */
    public record Install(String namespace, String serviceAccount, Map<String, String> operatorEnv) {

        public String user() {
            return "system:serviceaccount:" + namespace + ":" + serviceAccount;
        }

        /** Whether the chart lets the operator check the CRDs at startup (not in a namespaced install). */
        public boolean crdValidation() {
            return Boolean.parseBoolean(operatorEnv.getOrDefault("UNLEARNING_CRD_CHECK_ENABLED", "true"));
        }

        /**
         * The operator's settings exactly as the chart's Deployment environment gives them (its own namespace
         * comes from the pod, as the chart's fieldRef does), so a test's operator is configured as installed.
         */
        public OperatorSettings settings() {
            return OperatorSettings.from(property -> property.equals("unlearning.namespace") ? Optional.of(namespace)
                    : Optional.ofNullable(operatorEnv.get(property.replaceAll("[^A-Za-z0-9]", "_")
                            .toUpperCase(Locale.ROOT))).filter(v -> !v.isEmpty()));
        }

        /** The namespaces the chart tells the operator to watch; empty: all. */
        public List<String> watchNamespaces() {
            String watch = operatorEnv.getOrDefault("WATCH_NAMESPACES", "JOSDK_ALL_NAMESPACES");
            return watch.equals("JOSDK_ALL_NAMESPACES") ? List.of()
                    : Arrays.stream(watch.split(",")).map(String::strip).filter(n -> !n.isEmpty()).toList();
        }

        /** A client acting as the operator's service account, with its groups, over the admin's connection. */
        public KubernetesClient client(KubernetesClient admin) {
            Config config = new ConfigBuilder(admin.getConfiguration())
                    .withImpersonateUsername(user())
                    .withImpersonateGroups("system:serviceaccounts", "system:serviceaccounts:" + namespace,
                            "system:authenticated")
                    .build();
            return new KubernetesClientBuilder().withConfig(config).build();
        }
    }

    private ChartRbac() {
    }

    /** Renders the chart as release {@code release} in {@code namespace}, watching {@code watch} (empty: all). */
    public static Install apply(KubernetesClient admin, String release, String namespace, List<String> watch) {
        return apply(admin, release, namespace, watch, Map.of());
    }

    /** The same, with further chart values (e.g. the image repository a test's registry serves). */
    public static Install apply(KubernetesClient admin, String release, String namespace, List<String> watch,
            Map<String, String> values) {
        for (String ns : concat(namespace, watch)) {
            admin.resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
                    .serverSideApply();
        }
        TemplateCommand template = new Helm(ProjectPaths.root().resolve("helm/unlearning-operator")).template()
                .withName(release).withNamespace(namespace).withKubeVersion("1.34.4");
        for (int i = 0; i < watch.size(); i++) {
            template = template.set("watchNamespaces[" + i + "]", watch.get(i));
        }
        for (var value : values.entrySet()) {
            template = template.set(value.getKey(), value.getValue());
        }
        List<HasMetadata> objects = admin.load(new ByteArrayInputStream(template.call()
                .getBytes(StandardCharsets.UTF_8))).items();
        Install install = null;
        for (HasMetadata object : objects) {
            if (APPLIED.contains(object.getKind())) {
                admin.resource(object).forceConflicts().serverSideApply();
            }
            if (object instanceof Deployment deployment) {
                install = fromDeployment(namespace, deployment);
            }
        }
        if (install == null) {
            throw new IllegalStateException("the chart rendered no operator Deployment");
        }
        return install;
    }

    /**
     * What {@code helm install} really installed as release {@code release} in {@code namespace}: read back from
     * the cluster (the operator Deployment's service account and literal environment), not rendered again.
     */
    public static Install installed(KubernetesClient admin, String release, String namespace) {
        Deployment deployment = admin.apps().deployments().inNamespace(namespace)
                .withLabel("app.kubernetes.io/instance", release).list().getItems().stream().findFirst()
                .orElseThrow(() -> new IllegalStateException("release " + release + " has no operator Deployment in "
                        + namespace));
        return fromDeployment(namespace, deployment);
    }

    private static Install fromDeployment(String namespace, Deployment deployment) {
        var pod = deployment.getSpec().getTemplate().getSpec();
        Map<String, String> env = new HashMap<>();
        pod.getContainers().get(0).getEnv().stream().filter(e -> e.getValue() != null)
                .forEach(e -> env.put(e.getName(), e.getValue()));
        return new Install(namespace, pod.getServiceAccountName(), Map.copyOf(env));
    }

    private static List<String> concat(String first, List<String> rest) {
        java.util.ArrayList<String> all = new java.util.ArrayList<>(List.of(first));
        rest.stream().filter(n -> !all.contains(n)).forEach(all::add);
        return all;
    }
}
