package dev.unlearning.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.kubernetes.api.model.ResourceRequirements;

/** The inference Deployment that serves the current model version. */
public class ServingSpec {

    @Min(0)
    @Max(100)
    @Default("1")
    private int replicas = 1;

    private ResourceRequirements resources;

    @Min(1)
    @Max(65535)
    @Default("8080")
    private int port = 8080;

    @Min(1)
    @JsonPropertyDescription("Serve this version instead of the newest; refused if a later version forgot records it holds.")
    private Integer pinnedVersion;

    @JsonPropertyDescription("The Secret whose S3 keys serving pods read the store with: give it read-only credentials. "
            + "Without it, serving pods get spec.storage.secretRef's, which the workers write with. A pvc:// store is "
            + "mounted read-only into serving pods either way.")
    private SecretReference storageSecretRef;

    @JsonPropertyDescription("Require 'Authorization: Bearer <token>' on every model, metadata and inference request "
            + "(the health probes stay open); the token is key 'token' of this Secret, and a pod without it does not "
            + "start.")
    private SecretReference bearerTokenSecretRef;

    public SecretReference getStorageSecretRef() {
        return storageSecretRef;
    }

    public void setStorageSecretRef(SecretReference storageSecretRef) {
        this.storageSecretRef = storageSecretRef;
    }

    public SecretReference getBearerTokenSecretRef() {
        return bearerTokenSecretRef;
    }

    public void setBearerTokenSecretRef(SecretReference bearerTokenSecretRef) {
        this.bearerTokenSecretRef = bearerTokenSecretRef;
    }

    public Integer getPinnedVersion() {
        return pinnedVersion;
    }

    public void setPinnedVersion(Integer pinnedVersion) {
        this.pinnedVersion = pinnedVersion;
    }

    public int getReplicas() {
        return replicas;
    }

    public void setReplicas(int replicas) {
        this.replicas = replicas;
    }

    public ResourceRequirements getResources() {
        return resources;
    }

    public void setResources(ResourceRequirements resources) {
        this.resources = resources;
    }

    public int getPort() {
        return port;
    }

    public void setPort(int port) {
        this.port = port;
    }
}
