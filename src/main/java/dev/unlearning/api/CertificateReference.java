package dev.unlearning.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/**
 * Where a run's signed certificate is, and the worker's evidence in the store that it names by digest. Verify it
 * with {@code unlearning-operator verify} against the trusted keys in ConfigMap unlearning-trusted-keys of the
 * operator's namespace.
 */
public class CertificateReference {

    @JsonPropertyDescription("The certificate: configmap/<name> in this namespace, key certificate.json (a DSSE envelope "
            + "around an in-toto Statement, signed by the operator).")
    private String location;

    @JsonPropertyDescription("SHA-256 of the certificate bytes.")
    private String digest;

    @JsonPropertyDescription("Id of the operator's Ed25519 key that signed it (ConfigMap unlearning-trusted-keys in the "
            + "operator's namespace lists each key with the period it may sign in).")
    private String keyId;

    @JsonPropertyDescription("The worker's evidence (keyed id digests, metrics) as a key in the model's store.")
    private String evidenceLocation;

    @JsonPropertyDescription("SHA-256 of the evidence, as the certificate names it.")
    private String evidenceDigest;

    public String getLocation() {
        return location;
    }

    public void setLocation(String location) {
        this.location = location;
    }

    public String getDigest() {
        return digest;
    }

    public void setDigest(String digest) {
        this.digest = digest;
    }

    public String getKeyId() {
        return keyId;
    }

    public void setKeyId(String keyId) {
        this.keyId = keyId;
    }

    public String getEvidenceLocation() {
        return evidenceLocation;
    }

    public void setEvidenceLocation(String evidenceLocation) {
        this.evidenceLocation = evidenceLocation;
    }

    public String getEvidenceDigest() {
        return evidenceDigest;
    }

    public void setEvidenceDigest(String evidenceDigest) {
        this.evidenceDigest = evidenceDigest;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CertificateReference o && Objects.equals(location, o.location)
                && Objects.equals(digest, o.digest) && Objects.equals(keyId, o.keyId)
                && Objects.equals(evidenceLocation, o.evidenceLocation)
                && Objects.equals(evidenceDigest, o.evidenceDigest);
    }

    @Override
    public int hashCode() {
        return Objects.hash(location, digest, keyId, evidenceLocation, evidenceDigest);
    }
}
