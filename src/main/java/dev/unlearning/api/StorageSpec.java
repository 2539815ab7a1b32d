package dev.unlearning.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** Where model versions, checkpoints and certificates are kept. */
public class StorageSpec {

    @Required
    @Pattern("^(file|pvc|s3)://.+")
    @JsonPropertyDescription("file:///dir, pvc://<claim>/<dir> or s3://bucket/prefix.")
    private String uri;

    public String getUri() {
        return uri;
    }

    public void setUri(String uri) {
        this.uri = uri;
    }
}
