package dev.unlearning.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** What the serving Deployment runs. */
public class ServingStatus {

    @JsonPropertyDescription("Version the serving Deployment has fully rolled out.")
    private Integer version;

    @JsonPropertyDescription("In-cluster URL of the inference service.")
    private String endpoint;

    public Integer getVersion() {
        return version;
    }

    public void setVersion(Integer version) {
        this.version = version;
    }

    public String getEndpoint() {
        return endpoint;
    }

    public void setEndpoint(String endpoint) {
        this.endpoint = endpoint;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ServingStatus o && Objects.equals(version, o.version) &&
                Objects.equals(endpoint, o.endpoint);
    }

    @Override
    public int hashCode() {
        return Objects.hash(version, endpoint);
    }
}
