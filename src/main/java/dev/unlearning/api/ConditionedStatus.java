package dev.unlearning.api;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Status shape shared by every kind: Kubernetes-style conditions plus the generation they describe, which
 * is what kstatus, {@code kubectl wait} and GitOps health checks read.
 */
public abstract class ConditionedStatus {

    @JsonPropertyDescription("The metadata.generation this status describes.")
    private Long observedGeneration;

    private List<Condition> conditions = new ArrayList<>();

    public Long getObservedGeneration() {
        return observedGeneration;
    }

    public void setObservedGeneration(Long observedGeneration) {
        this.observedGeneration = observedGeneration;
    }

    public List<Condition> getConditions() {
        return conditions;
    }

    public void setConditions(List<Condition> conditions) {
        this.conditions = conditions;
    }

    @JsonIgnore
    public Optional<Condition> condition(String type) {
        return conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    /** Statuses are compared as values: a reconcile writes only when what it derived differs from what it read. */
    @Override
    public boolean equals(Object other) {
        return other != null && other.getClass() == getClass()
                && Objects.equals(observedGeneration, ((ConditionedStatus) other).observedGeneration)
                && Objects.equals(conditions, ((ConditionedStatus) other).conditions);
    }

    @Override
    public int hashCode() {
        return Objects.hash(observedGeneration, conditions);
    }
}
