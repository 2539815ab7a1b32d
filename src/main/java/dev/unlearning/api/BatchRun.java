package dev.unlearning.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Unlearning requests coalesced into one run: the run in progress, at most one per model. */
public class BatchRun extends JobIdentity {

    @JsonPropertyDescription("Run id (u1, u2, ...); never reused for a model.")
    private String id;

    @JsonPropertyDescription("The coalesced UnlearningRequests.")
    private List<RunMember> requests = new ArrayList<>();

    @JsonPropertyDescription("The concrete method of the current attempt.")
    private UnlearningMethod method;

    @JsonPropertyDescription("Auto: run Exact on the same shards if verification fails.")
    private boolean fallbackToExact;

    @JsonPropertyDescription("Why the approximate attempt failed verification, once the run fell back to Exact.")
    private String fallbackReason;

    @JsonPropertyDescription("True for the exact retrain that replaces an approximate version (exact by the deadline).")
    private boolean followUp;

    @JsonPropertyDescription("Union of the requests' affected shards.")
    private List<Integer> shards = new ArrayList<>();

    @JsonPropertyDescription("Every Job of this run so far, oldest first.")
    private List<String> jobNames = new ArrayList<>();

    @JsonPropertyDescription("SHA-256 of the request files the operator wrote for the run; its Jobs pin them by it.")
    private String requestsDigest;

    public String getRequestsDigest() {
        return requestsDigest;
    }

    public void setRequestsDigest(String requestsDigest) {
        this.requestsDigest = requestsDigest;
    }

    @JsonPropertyDescription("Unlearning (the Indexed Job unlearns the shards) or Finalizing (the finalize Job verifies and publishes).")
    private RunPhase phase;

    @JsonPropertyDescription("The version the run starts from.")
    private int baseVersion;

    @JsonPropertyDescription("When the current phase started.")
    private String startedAt;

    public String getId() {
        return id;
    }

    public void setId(String id) {
        this.id = id;
    }

    public List<RunMember> getRequests() {
        return requests;
    }

    public void setRequests(List<RunMember> requests) {
        this.requests = requests;
    }

    public UnlearningMethod getMethod() {
        return method;
    }

    public void setMethod(UnlearningMethod method) {
        this.method = method;
    }

    public boolean getFallbackToExact() {
        return fallbackToExact;
    }

    public void setFallbackToExact(boolean fallbackToExact) {
        this.fallbackToExact = fallbackToExact;
    }

    public String getFallbackReason() {
        return fallbackReason;
    }

    public void setFallbackReason(String fallbackReason) {
        this.fallbackReason = fallbackReason;
    }

    public List<Integer> getShards() {
        return shards;
    }

    public void setShards(List<Integer> shards) {
        this.shards = shards;
    }

    public List<String> getJobNames() {
        return jobNames;
    }

    public void setJobNames(List<String> jobNames) {
        this.jobNames = jobNames;
    }

    public RunPhase getPhase() {
        return phase;
    }

    public void setPhase(RunPhase phase) {
        this.phase = phase;
    }

    public int getBaseVersion() {
        return baseVersion;
    }

    public void setBaseVersion(int baseVersion) {
        this.baseVersion = baseVersion;
    }

    public String getStartedAt() {
        return startedAt;
    }

    public void setStartedAt(String startedAt) {
        this.startedAt = startedAt;
    }

    public boolean getFollowUp() {
        return followUp;
    }

    public void setFollowUp(boolean followUp) {
        this.followUp = followUp;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof BatchRun o && Objects.equals(id, o.id) && Objects.equals(requests, o.requests)
                && Objects.equals(method, o.method) && fallbackToExact == o.fallbackToExact
                && Objects.equals(fallbackReason, o.fallbackReason) && followUp == o.followUp
                && Objects.equals(shards, o.shards) && sameJob(o)
                && Objects.equals(jobNames, o.jobNames) && Objects.equals(requestsDigest, o.requestsDigest)
                && Objects.equals(phase, o.phase)
                && baseVersion == o.baseVersion && Objects.equals(startedAt, o.startedAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, requests, method, fallbackToExact, fallbackReason, followUp, shards, jobHash(),
                jobNames, requestsDigest, phase, baseVersion, startedAt);
    }
}
