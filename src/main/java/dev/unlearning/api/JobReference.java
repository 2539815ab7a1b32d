package dev.unlearning.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** A Job the operator created, by name and by the uid that identifies it. */
public class JobReference implements RecordedJob {

    private String jobName;

    @JsonPropertyDescription("The uid of that Job as the operator created it: a Job of the same name with another "
            + "uid is someone else's and is never read.")
    private String jobUid;

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

    @Override
    public boolean equals(Object other) {
        return other instanceof JobReference o && Objects.equals(jobName, o.jobName) && Objects.equals(jobUid, o.jobUid);
    }

    @Override
    public int hashCode() {
        return Objects.hash(jobName, jobUid);
    }
}
