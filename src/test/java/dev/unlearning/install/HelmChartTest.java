package dev.unlearning.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import dev.unlearning.testcluster.ProjectPaths;
import dev.unlearning.testcluster.TestControlPlane;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Helm chart, linted and rendered by Helm's own code, applied to a real API server, and its RBAC proven
 * with SubjectAccessReviews: the operator can do what it needs and nothing like reading Secrets or deleting
 * Nodes; workers can do nothing; editors and viewers get the kinds through the aggregated roles.
 */
class HelmChartTest {

    static final String NAMESPACE = "unlearning-system";
    static final String OPERATOR = "system:serviceaccount:unlearning-system:unlearning-operator";
    static final String WORKER = "system:serviceaccount:unlearning-system:unlearning-worker";

    static KubernetesClient client;

    static Path chart() {
        return ProjectPaths.root().resolve("helm/unlearning-operator");
    }

    /** The plain install YAML: the chart with its defaults. */
    static String renderInstall() {
        return new Helm(chart()).template().withName("unlearning-operator").withNamespace(NAMESPACE)
                .withKubeVersion("1.34.4").call();
    }

    @BeforeAll
    static void install() {
        client = TestControlPlane.get().client();
        for (String ns : List.of(NAMESPACE, "team-a", "team-b")) {
            client.resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
                    .serverSideApply();
        }
        List<HasMetadata> objects = client.load(new ByteArrayInputStream(renderInstall().getBytes(StandardCharsets.UTF_8)))
                .items();
        for (HasMetadata object : objects) {
            client.resource(object).forceConflicts().serverSideApply();
        }
    }

    @Test
    void lintsCleanInStrictMode() {
        LintResult result = new Helm(chart()).lint().strict().call();
        assertThat(result.getMessages()).noneMatch(m -> m.contains("[ERROR]") || m.contains("[WARNING]"));
        assertThat(result.isFailed()).isFalse();
    }

    @Test
    void manifestsInstallYamlIsTheRenderedChart() throws Exception {
        Path install = ProjectPaths.root().resolve("manifests/install.yaml");
        String rendered = "# Rendered from helm/unlearning-operator with default values; regenerate with\n"
                + "# ./mvnw test -Dtest=HelmChartTest -Dmanifests.update=true\n" + renderInstall();
        if (Boolean.getBoolean("manifests.update")) {
            Files.writeString(install, rendered);
        }
        assertThat(Files.readString(install)).as("manifests/install.yaml is stale; regenerate it").isEqualTo(rendered);
    }

    @Test
    void theChartShipsTheCommittedCrds() throws Exception {
        try (Stream<Path> files = Files.list(ProjectPaths.crds())) {
            for (Path crd : files.toList()) {
                assertThat(chart().resolve("crds").resolve(crd.getFileName())).as("helm/unlearning-operator/crds")
                        .hasSameTextualContentAs(crd);
            }
        }
    }

    @Test
    void rendersWatchedNamespacesAndServiceMonitorOnRequest() {
        String rendered = new Helm(chart()).template().withName("uo").withNamespace(NAMESPACE).withKubeVersion("1.34.4")
                .set("watchNamespaces[0]", "team-a").set("metrics.serviceMonitor.enabled", true).call();
        assertThat(rendered).contains("kind: ServiceMonitor").contains("value: \"team-a\"")
                .doesNotContain("kind: ClusterRoleBinding");
        assertThat(rendered.lines().filter("kind: ServiceAccount"::equals).count())
                .as("operator + a worker account per namespace (release and team-a)").isEqualTo(3);
    }

    @Test
    void workerPodsAcceptNoConnectionAndServingOnlyOnItsPortsFromTheAllowedPeers() {
        String rendered = new Helm(chart()).template().withName("uo").withNamespace(NAMESPACE).withKubeVersion("1.34.4")
                .set("watchNamespaces[0]", "team-a").set("networkPolicy.servingFrom[0].namespaceSelector.matchLabels.gateway",
                        "true").call();
        var serialization = new io.fabric8.kubernetes.client.utils.KubernetesSerialization();
        List<io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy> policies = java.util.Arrays
                .stream(rendered.split("(?m)^---$")).filter(doc -> doc.contains("kind: NetworkPolicy"))
                .map(doc -> serialization.unmarshal(doc, io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy.class))
                .filter(p -> "team-a".equals(p.getMetadata().getNamespace())).toList();
        var workers = policies.stream().filter(p -> p.getMetadata().getName().equals("unlearning-workers")).findFirst()
                .orElseThrow();
        assertThat(workers.getSpec().getIngress()).as("no connection in").isEmpty();
        assertThat(workers.getSpec().getPolicyTypes()).containsExactly("Ingress");
        assertThat(workers.getSpec().getPodSelector().getMatchExpressions())
                .anyMatch(e -> e.getKey().equals("unlearning.dev/role") && e.getOperator().equals("NotIn")
                        && e.getValues().equals(List.of("serve")));
        var serving = policies.stream().filter(p -> p.getMetadata().getName().equals("unlearning-serving")).findFirst()
                .orElseThrow();
        assertThat(serving.getSpec().getPodSelector().getMatchLabels()).containsEntry("unlearning.dev/role", "serve");
        assertThat(serving.getSpec().getIngress()).singleElement().satisfies(rule -> {
            assertThat(rule.getPorts()).extracting(port -> port.getPort().getStrVal()).containsExactly("http", "metrics");
            assertThat(rule.getFrom()).singleElement().satisfies(peer -> assertThat(peer.getNamespaceSelector()
                    .getMatchLabels()).containsEntry("gateway", "true"));
        });
        assertThat(new Helm(chart()).template().withName("uo").withNamespace(NAMESPACE).withKubeVersion("1.34.4")
                .set("networkPolicy.enabled", false).call()).doesNotContain("kind: NetworkPolicy");
    }

    @Test
    void aWorkerImageByDigestIsTheOneAllowedAndDigestsCanBeRequired() {
        String digest = "sha256:" + "cd".repeat(32);
        String rendered = new Helm(chart()).template().withName("uo").withNamespace(NAMESPACE).withKubeVersion("1.34.4")
                .set("worker.image.digest", digest).set("worker.requireImageDigest", true).call();
        assertThat(rendered).contains("{name: UNLEARNING_WORKER_IMAGE, value: \"ghcr.io/unlearning-dev/unlearning-operator@"
                + digest + "\"}")
                .contains("{name: UNLEARNING_WORKER_ALLOWED_IMAGES, value: \"ghcr.io/unlearning-dev/unlearning-operator@"
                        + digest + "\"}")
                .contains("{name: UNLEARNING_WORKER_REQUIRE_IMAGE_DIGEST, value: \"true\"}");
        assertThatThrownBy(() -> new Helm(chart()).template().withName("uo").withNamespace(NAMESPACE)
                .withKubeVersion("1.34.4").set("worker.image.digest", "latest").call()).as("a digest, or nothing")
                .hasMessageContaining("digest");
    }

    @Test
    void refusesToWatchItsOwnNamespace() {
        assertThatThrownBy(() -> new Helm(chart()).template().withName("uo").withNamespace(NAMESPACE)
                .withKubeVersion("1.34.4").set("watchNamespaces[0]", "team-a").set("watchNamespaces[1]", NAMESPACE)
                .call()).hasMessageContaining("watchNamespaces lists the release namespace " + NAMESPACE)
                .hasMessageContaining("signing key");
    }

    @ParameterizedTest(name = "operator may {0} {2} in {1}")
    @CsvSource({
        "watch,  team-a,            shardedmodels,        unlearning.dev, ''",
        "patch,  team-a,            unlearningrequests,   unlearning.dev, status",
        "create, team-a,            unlearningrequests,   unlearning.dev, ''",
        "delete, team-a,            unlearningrequests,   unlearning.dev, ''",
        "update, team-a,            forgetledgers,        unlearning.dev, ''",
        "update, team-a,            shardedmodels,        unlearning.dev, finalizers",
        "create, team-b,            jobs,                 batch,          ''",
        "list,   team-a,            pods,                 '',             ''",
        "create, team-a,            configmaps,           '',             ''",
        "create, team-a,            secrets,              '',             ''",
        "patch,  team-a,            deployments,          apps,           ''",
        "create, team-a,            events,               '',             ''",
        "update, unlearning-system, leases,               coordination.k8s.io, ''",
        "patch,  unlearning-system, leases,               coordination.k8s.io, ''",
    })
    void theOperatorCanDoWhatItNeeds(String verb, String ns, String resource, String group, String subresource) {
        assertThat(allowed(OPERATOR, verb, ns, group, resource, subresource)).isTrue();
    }

    @ParameterizedTest(name = "operator may not {0} {2} in {1}")
    @CsvSource({
        "get,    team-a,            secrets,              '',                        ''",
        "list,   '',                secrets,              '',                        ''",
        "delete, '',                nodes,                '',                        ''",
        "create, '',                clusterrolebindings,  rbac.authorization.k8s.io, ''",
        "create, team-a,            rolebindings,         rbac.authorization.k8s.io, ''",
        "delete, '',                namespaces,           '',                        ''",
        "create, team-a,            pods,                 '',                        ''",
        "create, team-a,            pods,                 '',                        exec",
        "update, team-a,            leases,               coordination.k8s.io,       ''",
        "delete, '',                customresourcedefinitions, apiextensions.k8s.io, ''",
        "delete, team-a,            forgetledgers,        unlearning.dev,            ''",
    })
    void theOperatorCannotDoMore(String verb, String ns, String resource, String group, String subresource) {
        assertThat(allowed(OPERATOR, verb, ns, group, resource, subresource)).isFalse();
    }

    @Test
    void theOperatorReadsOnlyItsSigningKeysAndEachNamespacesIdKey() {
        assertThat(allowed(OPERATOR, "get", NAMESPACE, "", "secrets", "", "unlearning-signing-keys")).isTrue();
        assertThat(allowed(OPERATOR, "create", NAMESPACE, "", "secrets", "")).as("created on first use").isTrue();
        assertThat(allowed(OPERATOR, "get", NAMESPACE, "", "secrets", "", "something-else")).isFalse();
        assertThat(allowed(OPERATOR, "get", "team-a", "", "secrets", "", "unlearning-signing-keys")).isFalse();
        assertThat(allowed(OPERATOR, "get", "team-a", "", "secrets", "", "unlearning-id-key"))
                .as("to digest raw ids before they reach a ledger or a Job's files").isTrue();
        assertThat(allowed(OPERATOR, "get", "team-a", "", "secrets", "", "s3-creds")).isFalse();
        assertThat(allowed(OPERATOR, "list", "team-a", "", "secrets", "")).isFalse();
        assertThat(allowed(OPERATOR, "update", "team-a", "", "secrets", "", "unlearning-id-key")).isFalse();
        assertThat(allowed(OPERATOR, "list", NAMESPACE, "", "secrets", "")).isFalse();
    }

    @Test
    void anyAuthenticatedUserReadsTheTrustedKeysAndOnlyTheOperatorWritesThem() {
        assertThat(allowed("auditor", "get", NAMESPACE, "", "configmaps", "", "unlearning-trusted-keys")).isTrue();
        assertThat(allowed("auditor", "get", NAMESPACE, "", "configmaps", "", "something-else")).isFalse();
        assertThat(allowed("auditor", "get", NAMESPACE, "", "secrets", "", "unlearning-signing-keys")).isFalse();
        assertThat(allowed("auditor", "patch", NAMESPACE, "", "configmaps", "", "unlearning-trusted-keys")).isFalse();
        assertThat(allowed(OPERATOR, "patch", NAMESPACE, "", "configmaps", "", "unlearning-trusted-keys")).isTrue();
        assertThat(allowed(WORKER, "patch", NAMESPACE, "", "configmaps", "", "unlearning-trusted-keys")).isFalse();
    }

    @ParameterizedTest(name = "worker may not {0} {2}")
    @CsvSource({
        "get,    secrets,       ''",
        "list,   pods,          ''",
        "get,    configmaps,    ''",
        "get,    shardedmodels, unlearning.dev",
        "create, jobs,          batch",
    })
    void workersCanDoNothing(String verb, String resource, String group) {
        assertThat(allowed(WORKER, verb, "unlearning-system", group, resource, "")).isFalse();
    }

    @Test
    void editorsFileRequestsAndViewersReadBothKinds() {
        client.resource(new RoleBindingBuilder().withNewMetadata().withName("alice-edit").withNamespace("team-a")
                .endMetadata().withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("ClusterRole")
                .withName("unlearning-edit").endRoleRef().addNewSubject().withKind("User").withName("alice")
                .withApiGroup("rbac.authorization.k8s.io").endSubject().build()).serverSideApply();
        client.resource(new RoleBindingBuilder().withNewMetadata().withName("bob-view").withNamespace("team-a")
                .endMetadata().withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("ClusterRole")
                .withName("unlearning-view").endRoleRef().addNewSubject().withKind("User").withName("bob")
                .withApiGroup("rbac.authorization.k8s.io").endSubject().build()).serverSideApply();

        assertThat(allowed("alice", "create", "team-a", "unlearning.dev", "unlearningrequests", "")).isTrue();
        assertThat(allowed("alice", "create", "team-b", "unlearning.dev", "unlearningrequests", "")).isFalse();
        assertThat(allowed("alice", "patch", "team-a", "unlearning.dev", "unlearningrequests", "status")).isFalse();
        assertThat(allowed("bob", "list", "team-a", "unlearning.dev", "shardedmodels", "")).isTrue();
        assertThat(allowed("bob", "get", "team-a", "unlearning.dev", "unlearningrequests", "")).isTrue();
        assertThat(allowed("bob", "create", "team-a", "unlearning.dev", "unlearningrequests", "")).isFalse();
        assertThat(allowed("bob", "get", "team-a", "unlearning.dev", "forgetledgers", "")).isTrue();
        for (String verb : List.of("create", "update", "patch", "delete")) {
            assertThat(allowed("alice", verb, "team-a", "unlearning.dev", "forgetledgers", "")).as(verb).isFalse();
        }
        var edit = client.rbac().clusterRoles().withName("unlearning-edit").get();
        assertThat(edit.getMetadata().getLabels()).containsEntry("rbac.authorization.k8s.io/aggregate-to-edit", "true");
        assertThat(client.rbac().clusterRoles().withName("unlearning-view").get().getMetadata().getLabels())
                .containsEntry("rbac.authorization.k8s.io/aggregate-to-view", "true");
    }

    @Test
    void theOperatorDeploymentIsHardened() {
        var deployment = client.apps().deployments().inNamespace(NAMESPACE).withName("unlearning-operator").get();
        var pod = deployment.getSpec().getTemplate().getSpec();
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        var container = pod.getContainers().get(0);
        assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/q/health/ready");
        assertThat(container.getEnv()).anySatisfy(e -> assertThat(e.getName()).isEqualTo("POD_NAMESPACE"));
        assertThat(client.serviceAccounts().inNamespace(NAMESPACE).withName("unlearning-worker").get()
                .getAutomountServiceAccountToken()).isFalse();
    }

    private static boolean allowed(String user, String verb, String ns, String group, String resource, String sub) {
        return allowed(user, verb, ns, group, resource, sub, null);
    }

    private static boolean allowed(String user, String verb, String ns, String group, String resource, String sub,
            String name) {
        var groups = user.startsWith("system:serviceaccount:")
                ? List.of("system:serviceaccounts", "system:serviceaccounts:" + user.split(":")[2], "system:authenticated")
                : List.of("system:authenticated");
        return client.authorization().v1().subjectAccessReview().create(new SubjectAccessReviewBuilder()
                .withNewSpec().withUser(user).withGroups(groups)
                    .withNewResourceAttributes().withVerb(verb).withNamespace(ns.isEmpty() ? null : ns)
                        .withGroup(group).withResource(resource).withSubresource(sub.isEmpty() ? null : sub)
                        .withName(name)
                    .endResourceAttributes()
                .endSpec().build()).getStatus().getAllowed();
    }
}
