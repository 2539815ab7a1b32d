package dev.unlearning.api;

/**
 * A status entry that follows one Job: its name for people, and the uid the operator got back when it created
 * it. The uid is the Job's identity; a name alone can be taken by anyone who can create Jobs in the namespace.
 */
public interface RecordedJob {

    String getJobName();

    void setJobName(String name);

    String getJobUid();

    void setJobUid(String uid);
}
