package dev.unlearning.api;

/** A Job the operator created, by name and by the uid that identifies it. */
public class JobReference extends JobIdentity {

    @Override
    public boolean equals(Object other) {
        return other instanceof JobReference o && sameJob(o);
    }

    @Override
    public int hashCode() {
        return jobHash();
    }
}
