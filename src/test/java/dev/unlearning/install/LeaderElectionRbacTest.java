package dev.unlearning.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.unlearning.testcluster.ChartRbac;
import dev.unlearning.testcluster.TestControlPlane;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Leader election as the chart's service account: the lease is taken and then renewed, again and again, under
 * the chart's Role. (It used to be taken and lost at the first renewal, a PATCH the Role did not allow: the
 * operator pod exited seconds after it started — found by HelmIT, invisible to tests that ran without a lease.)
 */
class LeaderElectionRbacTest {

    @Test
    void theChartsAccountTakesAndKeepsRenewingItsLease() {
        KubernetesClient admin = TestControlPlane.get().client();
        String namespace = "le-" + UUID.randomUUID().toString().substring(0, 6);
        ChartRbac.Install install = ChartRbac.apply(admin, "unlearning-operator", namespace, List.of());
        KubernetesClient asOperator = install.client(admin);
        AtomicBoolean leading = new AtomicBoolean();
        AtomicBoolean lost = new AtomicBoolean();
        CompletableFuture<?> election = asOperator.leaderElector().withConfig(new LeaderElectionConfigBuilder()
                .withName("unlearning-operator-leader")
                .withLock(new LeaseLock(namespace, "unlearning-operator-leader", "pod-a"))
                .withLeaseDuration(Duration.ofSeconds(3)).withRenewDeadline(Duration.ofSeconds(2))
                .withRetryPeriod(Duration.ofMillis(300)).withReleaseOnCancel(true)
                .withLeaderCallbacks(new LeaderCallbacks(() -> leading.set(true), () -> lost.set(true), id -> { }))
                .build()).build().start();
        try {
            await().atMost(Duration.ofSeconds(20)).untilTrue(leading);
            Lease taken = admin.leases().inNamespace(namespace).withName("unlearning-operator-leader").get();
            ZonedDateTime firstRenewal = taken.getSpec().getRenewTime();
            await().atMost(Duration.ofSeconds(20)).until(() -> admin.leases().inNamespace(namespace)
                    .withName("unlearning-operator-leader").get().getSpec().getRenewTime().isAfter(firstRenewal));
            assertThat(lost).as("the lease was never lost").isFalse();
            assertThat(admin.leases().inNamespace(namespace).withName("unlearning-operator-leader").get().getSpec()
                    .getHolderIdentity()).isEqualTo("pod-a");
        } finally {
            election.cancel(true);
            asOperator.close();
        }
    }
}
