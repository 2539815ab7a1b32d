package dev.unlearning.operator;

import dev.unlearning.operator.certificates.CertificateIssuer;
import dev.unlearning.operator.jobs.JobFactory;
import dev.unlearning.operator.jobs.JobObserver;
import java.time.Clock;

/**
 * What every step of a model's reconcile works with: how its Jobs are made, created and observed, and how
 * it reports (Events, metrics) against one clock. One per reconciler, since {@link Jobs} holds its informer.
 */
public record StepTools(JobFactory factory, Jobs jobs, JobObserver observer, EventRecorder events,
        OperatorMetrics metrics, Clock clock, CertificateIssuer certificates) {
}
