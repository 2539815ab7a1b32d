package dev.unlearning.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.unlearning.operator.config.OperatorSettings;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.api.config.BaseConfigurationService;
import io.javaoperatorsdk.operator.processing.retry.GenericRetry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Both reconcilers keep retrying a failed reconcile long enough to outlast an API server that just restarted. */
class ReconcileRetryTest {

    @Test
    void bothReconcilersRetryForMinutesNotSeconds() {
        try (KubernetesClient client = new KubernetesClientBuilder().build()) {
            OperatorWiring wiring = OperatorWiring.create(client, OperatorSettings.defaults(), Clock.systemUTC(),
                    new SimpleMeterRegistry());
            BaseConfigurationService configuration = new BaseConfigurationService();
            for (io.javaoperatorsdk.operator.api.reconciler.Reconciler<?> reconciler
                    : List.<io.javaoperatorsdk.operator.api.reconciler.Reconciler<?>>of(wiring.modelReconciler(),
                            wiring.requestReconciler())) {
                var retry = configuration.getConfigurationFor(reconciler).getRetry();
                assertThat(retry).isInstanceOf(GenericRetry.class);
                GenericRetry generic = (GenericRetry) retry;
                assertThat(generic.getMaxAttempts()).as("JOSDK's default is 5").isEqualTo(ReconcileRetry.MAX_ATTEMPTS);
                assertThat(generic.getMaxInterval()).isEqualTo(ReconcileRetry.MAX_INTERVAL_MS);
                // Summed waits: the first attempts grow 1.5× from 2 s, the rest are a minute apart.
                long total = 0;
                long interval = generic.getInitialInterval();
                for (int attempt = 1; attempt < generic.getMaxAttempts(); attempt++) {
                    total += interval;
                    interval = Math.min((long) (interval * generic.getIntervalMultiplier()), generic.getMaxInterval());
                }
                assertThat(total).as("retries span well over the minutes a restarted API server may refuse")
                        .isGreaterThan(10 * 60_000L);
            }
        }
    }
}
