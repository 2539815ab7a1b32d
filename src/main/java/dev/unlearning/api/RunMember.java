package dev.unlearning.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** An UnlearningRequest a run carries; the uid tells a re-created request of the same name apart. */
public class RunMember {

    private String name;

    @JsonPropertyDescription("metadata.uid of the request when the run started.")
    private String uid;

    public RunMember() {
    }

    public RunMember(String name, String uid) {
        this.name = name;
        this.uid = uid;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getUid() {
        return uid;
    }

    public void setUid(String uid) {
        this.uid = uid;
    }

    /** True when this member is that request (same name and, where both are known, same uid). */
    public boolean is(UnlearningRequest request) {
        return Objects.equals(name, request.getMetadata().getName())
                && (uid == null || request.getMetadata().getUid() == null
                        || uid.equals(request.getMetadata().getUid()));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RunMember m && Objects.equals(name, m.name) && Objects.equals(uid, m.uid);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, uid);
    }
}
