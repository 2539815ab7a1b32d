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
    OperatorWiring wiring(KubernetesClient client) {
        return OperatorWiring.create(client, OperatorSettings.fromConfig(), Clock.systemUTC());
    }

    @Produces
    Clock clock(OperatorWiring wiring) {
        return wiring.clock();
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
