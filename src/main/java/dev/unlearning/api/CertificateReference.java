package dev.unlearning.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Where the signed unlearning certificate is stored. */
public class CertificateReference {

    @JsonPropertyDescription("Where the certificate JSON is, as a key in the model's store.")
    private String location;

    @JsonPropertyDescription("SHA-256 of the certificate bytes.")
    private String digest;

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
}
