package dev.unlearning.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** A store the model's versions were left in when spec.storage.uri changed: nothing erases it but its owner. */
public class AbandonedStore {

    @JsonPropertyDescription("The store's URI.")
    private String uri;

    @JsonPropertyDescription("The versions the status listed there when the model moved; they, and any of their "
            + "checkpoints trained on records forgotten since, stay there.")
    private List<Integer> versions = new ArrayList<>();

    @JsonPropertyDescription("When the model moved away from it.")
    private String since;

    public String getUri() {
        return uri;
    }

    public void setUri(String uri) {
        this.uri = uri;
    }

    public List<Integer> getVersions() {
        return versions;
    }

    public void setVersions(List<Integer> versions) {
        this.versions = versions;
    }

    public String getSince() {
        return since;
    }

    public void setSince(String since) {
        this.since = since;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof AbandonedStore o && Objects.equals(uri, o.uri) && Objects.equals(versions, o.versions)
                && Objects.equals(since, o.since);
    }

    @Override
    public int hashCode() {
        return Objects.hash(uri, versions, since);
    }
}
