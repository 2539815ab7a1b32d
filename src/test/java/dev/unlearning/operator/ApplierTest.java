package dev.unlearning.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.unlearning.testcluster.TestControlPlane;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** On the real API server: which applies the Applier skips, and that others' edits are still corrected. */
class ApplierTest {

    KubernetesClient client;
    String ns;
    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    Applier applier;

    @BeforeEach
    void start() {
        client = TestControlPlane.get().client();
        ns = TestControlPlane.get().newNamespace("applier");
        Clock clock = new Clock() {
            @Override
            public Instant instant() {
                return now;
            }

            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }
        };
        applier = new Applier(client, clock, Duration.ofMinutes(5));
    }

    @Test
    void anUnchangedObjectIsNotReappliedUntilTheRefreshPeriodEnds() {
        applier.apply(configMap("a"));
        client.configMaps().inNamespace(ns).withName("spec").edit(c -> {
            c.getData().put("k", "edited by someone");
            return c;
        });

        applier.apply(configMap("a"));
        assertThat(value()).as("same desired object within the period: no request").isEqualTo("edited by someone");

        applier.apply(configMap("b"));
        assertThat(value()).as("a changed desired object is applied at once").isEqualTo("b");

        client.configMaps().inNamespace(ns).withName("spec").edit(c -> {
            c.getData().put("k", "edited again");
            return c;
        });
        now = now.plus(Duration.ofMinutes(6));
        applier.apply(configMap("b"));
        assertThat(value()).as("after the period the operator's fields are asserted again").isEqualTo("b");
    }

    @Test
    void aWatchedObjectWhoseGenerationMovedIsReappliedAtOnce() {
        Deployment first = applier.apply(deployment(2), Optional.empty());
        Deployment skipped = applier.apply(deployment(2), Optional.of(first));
        assertThat(skipped).as("unchanged: the live object is returned").isSameAs(first);

        client.apps().deployments().inNamespace(ns).withName("serving").scale(5);
        Deployment live = client.apps().deployments().inNamespace(ns).withName("serving").get();
        assertThat(live.getMetadata().getGeneration()).isGreaterThan(first.getMetadata().getGeneration());

        Deployment reapplied = applier.apply(deployment(2), Optional.of(live));
        assertThat(reapplied.getSpec().getReplicas()).as("someone's spec change is corrected at once").isEqualTo(2);

        assertThat(applier.apply(deployment(2), Optional.empty()).getMetadata().getResourceVersion())
                .as("no live object known (deleted or not yet seen): applied").isNotNull();
    }

    String value() {
        return client.configMaps().inNamespace(ns).withName("spec").get().getData().get("k");
    }

    ConfigMap configMap(String value) {
        return new ConfigMapBuilder().withNewMetadata().withName("spec").withNamespace(ns).endMetadata()
                .withData(Map.of("k", value)).build();
    }

    Deployment deployment(int replicas) {
        Map<String, String> labels = Map.of("app", "serving");
        return new DeploymentBuilder().withNewMetadata().withName("serving").withNamespace(ns).endMetadata()
                .withNewSpec().withReplicas(replicas).withNewSelector().withMatchLabels(labels).endSelector()
                .withNewTemplate().withNewMetadata().withLabels(labels).endMetadata().withNewSpec()
                .addNewContainer().withName("c").withImage("busybox").endContainer().endSpec().endTemplate()
                .endSpec().build();
    }
}
