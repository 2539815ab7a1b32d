package dev.unlearning.store.attestation;

import java.util.List;

/**
 * Evidence of an erasure: which versions of a model were deleted and which blobs swept (by content digest),
 * what was kept, and the tombstone set it was measured against (as a count and a keyed digest, never ids).
 */
public record ErasureCertificate(String model, int servedVersion, List<Integer> keptVersions,
        List<Integer> erasedVersions, List<String> erasedBlobDigests, int erasedStagingFiles, int erasedCopies, int tombstoneCount,
        String tombstoneSetDigest, String issuedAt, String signature) {

    public ErasureCertificate withSignature(String newSignature) {
        return new ErasureCertificate(model, servedVersion, keptVersions, erasedVersions, erasedBlobDigests,
                erasedStagingFiles, erasedCopies, tombstoneCount, tombstoneSetDigest, issuedAt, newSignature);
    }
}
