package dev.unlearning.operator;

import dev.unlearning.operator.jobs.JobFactory;
import dev.unlearning.operator.jobs.JobObserver;
import dev.unlearning.operator.jobs.WorkerPods;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;

/** The reconcilers' collaborators, built in one place for the CDI producers and for tests alike. */
public record OperatorWiring(KubernetesClient client, Clock clock, Applier applier, Jobs jobs, EventRecorder events,
        RequestStatusWriter writer,
        TrainingStep training, UnlearningStep unlearning, ServingStep serving, OperatorMetrics metrics) {

    public static OperatorWiring create(KubernetesClient client, OperatorSettings settings, Clock clock,
            io.micrometer.core.instrument.MeterRegistry registry) {
        OperatorMetrics metrics = new OperatorMetrics(registry);
        EventRecorder events = new EventRecorder(client);
        Jobs jobs = new Jobs(client);
        JobFactory factory = new JobFactory(settings);
        JobObserver observer = new JobObserver(client);
        RequestStatusWriter writer = new RequestStatusWriter(client, clock);
        // Unchanged objects are re-applied at least this often, correcting anyone else's edits.
        Applier applier = new Applier(client, clock, Duration.ofMinutes(5));
        return new OperatorWiring(client, clock, applier, jobs, events, writer,
                new TrainingStep(factory, jobs, observer, events, metrics, clock),
                new UnlearningStep(client, factory, jobs, observer, writer, events, metrics, clock),
                new ServingStep(applier, new WorkerPods(settings), events), metrics);
    }

    public ShardedModelReconciler modelReconciler() {
        return new ShardedModelReconciler(client, applier, jobs, training, unlearning, serving, clock);
    }

    public UnlearningRequestReconciler requestReconciler() {
        return new UnlearningRequestReconciler(writer, events, clock);
    }
}
