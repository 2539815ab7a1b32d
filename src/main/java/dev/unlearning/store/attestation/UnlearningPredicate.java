package dev.unlearning.store.attestation;

import java.util.List;
import java.util.Map;

/**
 * What a signed unlearning certificate states (predicate type {@link Attestations#UNLEARNING}); its subject is the
 * new version. The operator builds it and {@link CertificateAudit} reads it back: one type on both sides, so a
 * renamed field cannot be written by one and missed by the other. No raw record id is ever part of it.
 */
public record UnlearningPredicate(String namespace, String model, String modelUid, String issuer, String issuedAt,
        String run, List<Member> requests, String method, List<Integer> affectedShards, int forgottenRecords,
        int unknownRecords, VersionRef versionBefore, VersionRef versionAfter, String tombstoneSetSha256, Gate gate,
        Evidence evidence, Provenance provenance) implements Predicate {

    /** A request the run carried. */
    public record Member(String name, String uid) {
    }

    /** A model version and its ensemble digest. */
    public record VersionRef(int version, String sha256) {
    }

    /** The thresholds the gate applied (by threshold key) and what it measured before and after (by metric key). */
    public record Gate(Map<String, Double> thresholds, Map<String, Double> measuredBefore,
            Map<String, Double> measuredAfter) {
    }

    @Override
    public String type() {
        return Attestations.UNLEARNING;
    }
}
