package dev.unlearning.operator;

/** Condition types of ShardedModel. */
public final class ModelConditions {
    public static final String READY = "Ready";
    public static final String TRAINING = "Training";
    public static final String UNLEARNING = "Unlearning";
    public static final String DEGRADED = "Degraded";
    public static final String ERASING = "Erasing";
    /** A Job of the model waits in a Kueue queue for quota. */
    public static final String QUEUED = "Queued";

    private ModelConditions() {
    }
}
