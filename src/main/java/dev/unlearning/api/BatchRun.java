package dev.unlearning.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Unlearning requests coalesced into one run. */
public class BatchRun {

    private String id;

    @JsonPropertyDescription("Names of the coalesced UnlearningRequests.")
    private java.util.List<String> requests;

    @JsonPropertyDescription("The concrete method of this attempt.")
    private UnlearningMethod method;

    @JsonPropertyDescription("Auto: run Exact on the same shards if verification fails.")
    private boolean fallbackToExact;

    @JsonPropertyDescription("Union of the requests' affected shards.")
    private java.util.List<Integer> shards;

    private String jobName;

    @JsonPropertyDescription("Unlearning, Finalizing, AwaitingApproval.")
    private String phase;

    @JsonPropertyDescription("The version the run starts from.")
    private int baseVersion;

    private String startedAt;

    public String getId() {
        return id;
    }

    public void setId(String id) {
        this.id = id;
    }

    public java.util.List<String> getRequests() {
        return requests;
    }

    public void setRequests(java.util.List<String> requests) {
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

    public java.util.List<Integer> getShards() {
        return shards;
    }

    public void setShards(java.util.List<Integer> shards) {
        this.shards = shards;
    }

    public String getJobName() {
        return jobName;
    }

    public void setJobName(String jobName) {
        this.jobName = jobName;
    }

    public String getPhase() {
        return phase;
    }

    public void setPhase(String phase) {
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
}
