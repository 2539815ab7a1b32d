package dev.unlearning.store.attestation;

import com.fasterxml.jackson.annotation.JsonIgnore;

/** A certificate's predicate: the facts every kind states about its model, and where the worker's evidence is. */
public sealed interface Predicate permits UnlearningPredicate, ErasurePredicate {

    String namespace();

    String model();

    String modelUid();

    /** When the operator signed it, RFC 3339: what a key's validity period is checked against. */
    String issuedAt();

    Evidence evidence();

    /** Who produced it and under which isolation; null in certificates from before it was stated. */
    Provenance provenance();

    /** The in-toto predicate type it is signed under. */
    @JsonIgnore
    String type();
}
