package dev.unlearning.api;

/** Observed state of an UnlearningRequest; the conditions carry its progress. */
public class UnlearningRequestStatus extends ConditionedStatus {
}
