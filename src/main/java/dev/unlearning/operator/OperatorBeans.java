package dev.unlearning.operator;

import dev.unlearning.operator.config.OperatorSettings;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * CDI producers. The operator SDK makes the reconcilers beans itself and hands them the {@link OperatorWiring}
 * produced here, the same wiring the tests build.
 */
@ApplicationScoped
public class OperatorBeans {

    @Produces
    @Singleton
    OperatorWiring wiring(KubernetesClient client, MeterRegistry registry) {
        return OperatorWiring.create(client, OperatorSettings.fromConfig(), Clock.systemUTC(), registry);
    }

    /**
     * One active operator per installation: replicas wait on a Lease in the operator's namespace (POD_NAMESPACE,
     * set by the chart from the downward API). Null, so no leader election, when
     * unlearning.leader-election.enabled is false or the process runs outside a pod, e.g. locally.
     */
    @Produces
    @Dependent
    LeaderElectionConfiguration leaderElection(
            @ConfigProperty(name = "unlearning.leader-election.enabled", defaultValue = "true") boolean enabled) {
        String namespace = System.getenv("POD_NAMESPACE");
        return enabled && namespace != null && !namespace.isBlank()
                ? new LeaderElectionConfiguration("unlearning-operator-leader", namespace)
                : null;
    }
}
