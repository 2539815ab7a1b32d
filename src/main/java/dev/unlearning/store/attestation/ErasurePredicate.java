package dev.unlearning.store.attestation;

import java.util.List;

/**
 * What a signed erasure certificate states (predicate type {@link Attestations#ERASURE}); its subject is the served
 * version the erasure ran around. Built by the operator, read back by {@link CertificateAudit}.
 */
public record ErasurePredicate(String namespace, String model, String modelUid, String issuer, String issuedAt,
        String erasure, int servedVersion, List<Integer> keptVersions, List<Integer> erasedVersions, int erasedBlobs,
        List<String> erasedBlobDigests, boolean erasedBlobDigestsComplete, int erasedStagingFiles, int erasedCopies,
        Evidence evidence, Provenance provenance) implements Predicate {

    @Override
    public String type() {
        return Attestations.ERASURE;
    }
}
