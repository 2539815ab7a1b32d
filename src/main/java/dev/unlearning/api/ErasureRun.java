package dev.unlearning.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** An erasure Job of a model: deletes what still holds forgotten records once a newer version is served. */
public class ErasureRun extends JobIdentity {

    @JsonPropertyDescription("Erasure run id (e1, e2, ...); never reused for a model.")
    private String id;

    @JsonPropertyDescription("The served version it erases around (always kept).")
    private int servedVersion;

    private String startedAt;

    public String getId() {
        return id;
    }

    public void setId(String id) {
        this.id = id;
    }

    public int getServedVersion() {
        return servedVersion;
    }

    public void setServedVersion(int servedVersion) {
        this.servedVersion = servedVersion;
    }

    public String getStartedAt() {
        return startedAt;
    }

    public void setStartedAt(String startedAt) {
        this.startedAt = startedAt;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ErasureRun o && Objects.equals(id, o.id) && servedVersion == o.servedVersion
                && sameJob(o) && Objects.equals(startedAt, o.startedAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, servedVersion, jobHash(), startedAt);
    }
}
