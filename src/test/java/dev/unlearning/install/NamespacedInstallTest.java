package dev.unlearning.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.unlearning.api.ShardedModel;
import dev.unlearning.api.UnlearningRequest;
import dev.unlearning.operator.CrdCheck;
import dev.unlearning.operator.config.OperatorSettings;
import dev.unlearning.operator.OperatorWiring;
import dev.unlearning.testcluster.ChartRbac;
import dev.unlearning.testcluster.TestControlPlane;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A namespaced install (the chart with {@code watchNamespaces}) as it runs: the operator acts as the chart's
 * service account under the chart's RoleBindings, configured as the chart's Deployment configures it. It used to
 * exit on a forbidden read of the CRDs at startup; now the chart turns that check off and it starts, and trains,
 * keys and answers in its namespace. (The packaged operator honours the switch: HelmIT installs a namespaced
 * chart whose operator pod starts.)
 */
class NamespacedInstallTest {

    static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void aNamespacedInstallStartsAndReconcilesUnderTheChartsRoleBindings() {
        TestControlPlane plane = TestControlPlane.get();
        KubernetesClient admin = plane.client();
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        String operatorNs = "uo-" + suffix;
        String team = "team-" + suffix;
        ChartRbac.Install install = ChartRbac.apply(admin, "scoped-" + suffix, operatorNs, List.of(team));
        KubernetesClient asOperator = install.client(admin);

        assertThatThrownBy(() -> asOperator.apiextensions().v1().customResourceDefinitions()
                .withName("shardedmodels.unlearning.dev").get())
                .as("a RoleBinding grants nothing cluster-scoped").isInstanceOf(KubernetesClientException.class)
                .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(403));
        assertThat(install.crdValidation()).as("so the chart turns the operator's startup CRD check off").isFalse();
        assertThatThrownBy(() -> CrdCheck.verify(asOperator)).as("with the check on, the operator cannot start")
                .hasMessageContaining("cannot read CRD shardedmodels.unlearning.dev (HTTP 403)")
                .hasMessageContaining("UNLEARNING_CRD_CHECK_ENABLED=false");
        assertThatCode(() -> CrdCheck.verify(admin)).as("a cluster-wide identity passes it").doesNotThrowAnyException();

        OperatorWiring wiring = OperatorWiring.create(asOperator, OperatorSettings.defaults()
                .withOperatorNamespace(operatorNs), Clock.systemUTC(), new SimpleMeterRegistry());
        Operator operator = new Operator(o -> o.withKubernetesClient(asOperator).withCloseClientOnStop(true)
                .checkingCRDAndValidateLocalModel(install.crdValidation()));
        operator.register(wiring.modelReconciler(), c -> c.settingNamespace(team));
        operator.register(wiring.requestReconciler(), c -> c.settingNamespace(team));
        try {
            operator.start();
            admin.resource("""
                    apiVersion: unlearning.dev/v1alpha1
                    kind: ShardedModel
                    metadata: {name: scoped}
                    spec:
                      dataset: {uri: "file:///usr/share/datasets/fashion-mnist"}
                      storage: {uri: "pvc://models/scoped"}
                      sharding: {shards: 2, slices: 1}
                      serving: {replicas: 0}
                    """).inNamespace(team).create();
            admin.resource("""
                    apiVersion: unlearning.dev/v1alpha1
                    kind: UnlearningRequest
                    metadata: {name: early}
                    spec:
                      modelRef: {name: scoped}
                      forget: {recordIds: [train-1]}
                    """).inNamespace(team).create();

            await().atMost(WAIT).until(() -> admin.batch().v1().jobs().inNamespace(team).list().getItems().stream()
                    .anyMatch(j -> j.getMetadata().getName().startsWith("scoped-train-")));
            await().atMost(WAIT).until(() -> {
                ShardedModel model = admin.resources(ShardedModel.class).inNamespace(team).withName("scoped").get();
                return model.getStatus() != null && model.getStatus().condition("Training").isPresent();
            });
            await().atMost(WAIT).until(() -> {
                UnlearningRequest request = admin.resources(UnlearningRequest.class).inNamespace(team)
                        .withName("early").get();
                return request.getStatus() != null && request.getStatus().condition("Accepted").isPresent();
            });
            assertThat(admin.secrets().inNamespace(team).withName("unlearning-id-key").get())
                    .as("the id-digest key, created and read by name under the RoleBinding").isNotNull();
        } finally {
            operator.stop();
        }
    }
}
