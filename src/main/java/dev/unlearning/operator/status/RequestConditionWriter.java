package dev.unlearning.operator.status;

import dev.unlearning.operator.conventions.Conditions;
import dev.unlearning.api.UnlearningRequestStatus;
import dev.unlearning.operator.status.RequestStatusAggregator.Derived;
import dev.unlearning.operator.status.RequestStatusAggregator.Notice;
import java.util.ArrayList;
import java.util.List;

/** Sets a request's conditions and collects an Event notice for each one that changed status. */
final class RequestConditionWriter {

    private final Conditions conditions;
    private final UnlearningRequestStatus status;
    private final long generation;
    private final List<Notice> notices = new ArrayList<>();

    RequestConditionWriter(Conditions conditions, UnlearningRequestStatus status, Long generation) {
        this.conditions = conditions;
        this.status = status;
        this.generation = generation == null ? 0 : generation;
    }

    void set(String type, String value, String reason, String message, Notice notice) {
        boolean flipped = status.condition(type).map(c -> !value.equals(c.getStatus())).orElse(true);
        conditions.set(status.getConditions(), type, value, reason, message, generation);
        if (flipped && notice != null) {
            notices.add(notice);
        }
    }

    Derived done() {
        status.setObservedGeneration(generation);
        status.setPhase(RequestPhase.of(status));
        return new Derived(status, List.copyOf(notices));
    }
}
