package dev.unlearning.operator;

import dev.unlearning.operator.planning.ExclusiveWork;
import java.time.Duration;
import java.util.Optional;

/** A step that runs only while {@link ExclusiveWork} gives its lane the model. */
interface ExclusiveStep {

    ExclusiveWork.Lane lane();

    /** Starts or follows the lane's work; returns when to look again if nothing else will wake the reconciler. */
    Optional<Duration> advance(ModelReconcile reconcile);
}
