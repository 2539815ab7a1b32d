package dev.unlearning.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** An erasure Job of a model: deletes what still holds forgotten records once a newer version is served. */
public class ErasureRun implements RecordedJob {

    @JsonPropertyDescription("Erasure run id (e1, e2, ...); never reused for a model.")
    private String id;

    @JsonPropertyDescription("The served version it erases around (always kept).")
    private int servedVersion;

    private String jobName;

    @JsonPropertyDescription("The uid of that Job as the operator created it: a Job of the same name with another "
            + "uid is someone else\'s and is never read.")
    private String jobUid;

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

    @Override
    public String getJobName() {
        return jobName;
    }

    @Override
    public void setJobName(String jobName) {
        this.jobName = jobName;
    }

    @Override
    public String getJobUid() {
        return jobUid;
    }

    @Override
    public void setJobUid(String jobUid) {
        this.jobUid = jobUid;
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
                && Objects.equals(jobName, o.jobName) && Objects.equals(jobUid, o.jobUid) && Objects.equals(startedAt, o.startedAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, servedVersion, jobName, jobUid, startedAt);
    }
}
