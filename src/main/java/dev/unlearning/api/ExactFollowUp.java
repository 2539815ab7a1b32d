package dev.unlearning.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Requests forgotten approximately whose shards still owe an exact retrain, and by when. */
public class ExactFollowUp {

    private List<RunMember> requests = new ArrayList<>();

    @JsonPropertyDescription("Shards the approximate run altered; their checkpoints still hold the records.")
    private List<Integer> shards = new ArrayList<>();

    @JsonPropertyDescription("The approximate version the follow-up replaces.")
    private int approximateVersion;

    @JsonPropertyDescription("When the exact version must be published: the earliest request deadline, or approximate publication + unlearning.exactWithin.")
    private String due;

    @JsonPropertyDescription("Failed exact follow-ups of this retrain so far; each failure moves due later (doubling).")
    private int attempts;

    @JsonPropertyDescription("Why the last exact follow-up of this retrain failed.")
    private String lastFailure;

    public int getAttempts() {
        return attempts;
    }

    public void setAttempts(int attempts) {
        this.attempts = attempts;
    }

    public String getLastFailure() {
        return lastFailure;
    }

    public void setLastFailure(String lastFailure) {
        this.lastFailure = lastFailure;
    }

    public List<RunMember> getRequests() {
        return requests;
    }

    public void setRequests(List<RunMember> requests) {
        this.requests = requests;
    }

    public List<Integer> getShards() {
        return shards;
    }

    public void setShards(List<Integer> shards) {
        this.shards = shards;
    }

    public int getApproximateVersion() {
        return approximateVersion;
    }

    public void setApproximateVersion(int approximateVersion) {
        this.approximateVersion = approximateVersion;
    }

    public String getDue() {
        return due;
    }

    public void setDue(String due) {
        this.due = due;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ExactFollowUp o && Objects.equals(requests, o.requests)
                && Objects.equals(shards, o.shards) && approximateVersion == o.approximateVersion
                && Objects.equals(due, o.due) && attempts == o.attempts
                && Objects.equals(lastFailure, o.lastFailure);
    }

    @Override
    public int hashCode() {
        return Objects.hash(requests, shards, approximateVersion, due, attempts, lastFailure);
    }
}
