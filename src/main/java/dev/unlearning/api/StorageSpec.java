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

    @JsonPropertyDescription("Secret with credentials for an s3:// store (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, ...).")
    private SecretReference secretRef;

    public String getUri() {
        return uri;
    }

    public void setUri(String uri) {
        this.uri = uri;
    }

    public SecretReference getSecretRef() {
        return secretRef;
    }

    public void setSecretRef(SecretReference secretRef) {
        this.secretRef = secretRef;
    }
}
