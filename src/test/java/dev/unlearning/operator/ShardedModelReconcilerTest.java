package dev.unlearning.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.unlearning.api.ShardedModel;
import dev.unlearning.testcluster.TestControlPlane;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The reconciler on a real API server: status carries the observed generation and a Ready condition. */
class ShardedModelReconcilerTest {

    static KubernetesClient client;
    static Operator operator;
    static String namespace;

    @BeforeAll
    static void startOperator() {
        TestControlPlane plane = TestControlPlane.get();
        client = plane.client();
        namespace = plane.newNamespace("reconcile");
        operator = new Operator(o -> o.withKubernetesClient(client).withCloseClientOnStop(false));
        operator.register(new ShardedModelReconciler(), c -> c.settingNamespace(namespace));
        operator.start();
    }

    @AfterAll
    static void stopOperator() {
        operator.stop();
    }

    @Test
    void reportsObservedGenerationAndReadyCondition() {
        client.resource("""
                apiVersion: unlearning.dev/v1alpha1
                kind: ShardedModel
                metadata: {name: fmnist}
                spec:
                  dataset: {uri: "file:///usr/share/datasets/fashion-mnist"}
                  storage: {uri: "s3://models/fmnist"}
                  sharding: {shards: 3}
                """).inNamespace(namespace).create();

        ShardedModel seen = awaitStatusForGeneration("fmnist", 1L);
        Condition ready = seen.getStatus().condition(ShardedModelReconciler.READY).orElseThrow();
        assertThat(ready.getStatus()).isEqualTo("False");
        assertThat(ready.getReason()).isEqualTo(ShardedModelReconciler.REASON_AWAITING_TRAINING);
        assertThat(ready.getMessage()).contains("3 shards");
        assertThat(ready.getObservedGeneration()).isEqualTo(1L);
        String firstTransition = ready.getLastTransitionTime();

        client.resources(ShardedModel.class).inNamespace(namespace).withName("fmnist").edit(m -> {
            m.getSpec().getSharding().setShards(5);
            return m;
        });

        Condition after = awaitStatusForGeneration("fmnist", 2L).getStatus()
                .condition(ShardedModelReconciler.READY).orElseThrow();
        assertThat(after.getMessage()).contains("5 shards");
        assertThat(after.getObservedGeneration()).isEqualTo(2L);
        assertThat(after.getLastTransitionTime()).as("status did not flip").isEqualTo(firstTransition);
    }

    private ShardedModel awaitStatusForGeneration(String name, long generation) {
        return await().atMost(Duration.ofSeconds(30)).until(
                () -> client.resources(ShardedModel.class).inNamespace(namespace).withName(name).get(),
                m -> m.getStatus() != null && Long.valueOf(generation).equals(m.getStatus().getObservedGeneration()));
    }
}
