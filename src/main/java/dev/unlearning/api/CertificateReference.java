package dev.unlearning.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Where the signed unlearning certificate is stored. */
public class CertificateReference {

    @JsonPropertyDescription("Store key of the certificate JSON.")
    private String key;

    @JsonPropertyDescription("SHA-256 of the certificate bytes.")
    private String digest;

    public String getKey() {
        return key;
    }

    public void setKey(String key) {
        this.key = key;
    }

    public String getDigest() {
        return digest;
    }

    public void setDigest(String digest) {
        this.digest = digest;
    }
}
