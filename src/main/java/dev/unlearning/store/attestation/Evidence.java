package dev.unlearning.store.attestation;

/** Where the worker's evidence is in the store, and the SHA-256 of its exact bytes. */
public record Evidence(String location, String sha256) {
}
