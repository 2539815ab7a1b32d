package dev.unlearning.operator.conventions;

/** Condition types of ShardedModel. */
public final class ModelConditions {
    public static final String READY = "Ready";
    public static final String TRAINING = "Training";
    public static final String UNLEARNING = "Unlearning";
    public static final String DEGRADED = "Degraded";
    public static final String ERASING = "Erasing";
    /** A Job of the model waits in a Kueue queue for quota. */
    public static final String QUEUED = "Queued";
    /**
     * Whether serving runs the version it should: True {@code Serving}; False {@code RollingOut}, or
     * {@code RolloutStalled} with the pod's or Deployment's reason when a rollout cannot progress by itself.
     */
    public static final String SERVING = "Serving";
    /** The reason of {@link #SERVING} (and of {@link #READY} before the first rollout) when a rollout is stuck. */
    public static final String ROLLOUT_STALLED = "RolloutStalled";

    private ModelConditions() {
    }
}
