package dev.unlearning.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;
import java.util.Objects;

/** A published model version. */
public class VersionRecord {

    private int version;

    @JsonPropertyDescription("SHA-256 over the shard model digests.")
    private String digest;

    private String createdAt;

    @JsonPropertyDescription("train or unlearn:<method>.")
    private String cause;

    @JsonPropertyDescription("UnlearningRequests this version carries out.")
    private List<String> requests;

    public int getVersion() {
        return version;
    }

    public void setVersion(int version) {
        this.version = version;
    }

    public String getDigest() {
        return digest;
    }

    public void setDigest(String digest) {
        this.digest = digest;
    }

    public String getCreatedAt() {
        return createdAt;
    }

    public void setCreatedAt(String createdAt) {
        this.createdAt = createdAt;
    }

    public String getCause() {
        return cause;
    }

    public void setCause(String cause) {
        this.cause = cause;
    }

    public List<String> getRequests() {
        return requests;
    }

    public void setRequests(List<String> requests) {
        this.requests = requests;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof VersionRecord o && version == o.version && Objects.equals(digest, o.digest)
                && Objects.equals(createdAt, o.createdAt) && Objects.equals(cause, o.cause)
                && Objects.equals(requests, o.requests);
    }

    @Override
    public int hashCode() {
        return Objects.hash(version, digest, createdAt, cause, requests);
    }
}
