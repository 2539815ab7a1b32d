package dev.unlearning.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** Where model versions, checkpoints and certificates are kept. */
public class StorageSpec {

    @Required
    @Pattern(Locations.PATTERN)
    @Size(max = 1024)
    @ValidationRule(value = Locations.NO_PARENT, message = Locations.NO_PARENT_MESSAGE)
    @JsonPropertyDescription("file:///dir, pvc://<claim>/<dir> or s3://bucket/prefix.")
    private String uri;

    @JsonPropertyDescription("Secret with credentials for an s3:// store (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, ...).")
    private SecretReference secretRef;

    @Default("Retain")
    @JsonPropertyDescription("Retain (default): deleting the ShardedModel keeps its store. Delete: a purge Job deletes "
            + "every version, blob and staged file first (certificates stay); if it cannot, the model says why in "
            + "its Degraded condition; set Retain to let the deletion finish.")
    private DeletionPolicy deletionPolicy = DeletionPolicy.RETAIN;

    public DeletionPolicy getDeletionPolicy() {
        return deletionPolicy;
    }

    public void setDeletionPolicy(DeletionPolicy deletionPolicy) {
        this.deletionPolicy = deletionPolicy;
    }

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
