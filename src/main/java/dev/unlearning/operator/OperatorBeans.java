package dev.unlearning.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/**
 * CDI producers for the reconcilers' collaborators. The operator SDK makes the reconcilers beans itself and
 * injects these through their constructors.
 */
@ApplicationScoped
public class OperatorBeans {

    @Produces
    @Singleton
    OperatorWiring wiring(KubernetesClient client, io.micrometer.core.instrument.MeterRegistry registry) {
        return OperatorWiring.create(client, OperatorSettings.fromConfig(), Clock.systemUTC(), registry);
    }

    /**
     * One active operator per installation: replicas wait on a Lease in the operator's namespace (POD_NAMESPACE,
     * set by the chart from the downward API). Null, so no leader election, when
     * unlearning.leader-election.enabled is false or the process runs outside a pod, e.g. locally.
     */
    @Produces
    @jakarta.enterprise.context.Dependent
    io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration leaderElection(
            @org.eclipse.microprofile.config.inject.ConfigProperty(name = "unlearning.leader-election.enabled",
                    defaultValue = "true") boolean enabled) {
        String namespace = System.getenv("POD_NAMESPACE");
        return enabled && namespace != null && !namespace.isBlank()
                ? new io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration(
                        "unlearning-operator-leader", namespace)
                : null;
    }

    @Produces
    Clock clock(OperatorWiring wiring) {
        return wiring.clock();
    }

    @Produces
    Applier applier(OperatorWiring wiring) {
        return wiring.applier();
    }

    @Produces
    Jobs jobs(OperatorWiring wiring) {
        return wiring.jobs();
    }

    @Produces
    EventRecorder events(OperatorWiring wiring) {
        return wiring.events();
    }

    @Produces
    RequestStatusWriter writer(OperatorWiring wiring) {
        return wiring.writer();
    }

    @Produces
    TrainingStep training(OperatorWiring wiring) {
        return wiring.training();
    }

    @Produces
    UnlearningStep unlearning(OperatorWiring wiring) {
        return wiring.unlearning();
    }

    @Produces
    ServingStep serving(OperatorWiring wiring) {
        return wiring.serving();
    }
}
