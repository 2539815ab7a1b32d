package dev.unlearning.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** The name and uid of a Job the operator created, as every status entry that follows one records them. */
public abstract class JobIdentity implements RecordedJob {

    @JsonPropertyDescription("The Job, by name (for people: kubectl get job <name>).")
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

    /** For the subclasses' equals: the same Job recorded. */
    protected boolean sameJob(JobIdentity other) {
        return Objects.equals(jobName, other.jobName) && Objects.equals(jobUid, other.jobUid);
    }

    /** For the subclasses' hashCode. */
    protected int jobHash() {
        return Objects.hash(jobName, jobUid);
    }
}
