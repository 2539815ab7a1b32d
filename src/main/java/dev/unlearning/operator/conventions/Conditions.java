package dev.unlearning.operator.conventions;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Sets a condition the way Kubernetes clients expect: {@code lastTransitionTime} moves only when the status
 * flips, so watchers can tell how long a state has held; reason, message and generation always refresh.
 */
public final class Conditions {

    public static final String TRUE = "True";
    public static final String FALSE = "False";
    public static final String UNKNOWN = "Unknown";

    private final Clock clock;

    public Conditions(Clock clock) {
        this.clock = clock;
    }

    /** Returns true when anything about the condition changed (so a status patch is worth sending). */
    public boolean set(List<Condition> conditions, String type, String status, String reason, String message,
            long observedGeneration) {
        Condition existing = conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
        String transition = existing != null && status.equals(existing.getStatus())
                ? existing.getLastTransitionTime()
                : Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
        Condition next = new ConditionBuilder()
                .withType(type)
                .withStatus(status)
                .withReason(reason)
                .withMessage(message)
                .withObservedGeneration(observedGeneration)
                .withLastTransitionTime(transition)
                .build();
        if (next.equals(existing)) {
            return false;
        }
        if (existing != null) {
            conditions.set(conditions.indexOf(existing), next);
        } else {
            conditions.add(next);
        }
        return true;
    }
}
