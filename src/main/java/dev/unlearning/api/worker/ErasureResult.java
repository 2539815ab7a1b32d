package dev.unlearning.api.worker;

import java.util.List;

/**
 * Result of {@code erase}: the versions kept and erased, and what was swept from the store. Blobs are named by
 * their content digest, never by what they hold.
 *
 * @param erasedBlobDigests the swept blobs' digests (dropped first when the termination message is too long;
 *        the evidence at {@code certificateLocation} lists them all, and the signed certificate says which holds
 *        the full list)
 * @param erasedCopies the hidden copies deleted: older object versions and delete markers on a versioned bucket,
 *        temporary files of killed writers
 */
public record ErasureResult(String model, int servedVersion, List<Integer> keptVersions, List<Integer> erasedVersions,
        int erasedBlobs, List<String> erasedBlobDigests, int erasedStagingFiles, int erasedCopies, String certificateLocation,
        String certificateDigest) implements WorkerResult {

    public ErasureResult withCertificate(String location, String digest) {
        return new ErasureResult(model, servedVersion, keptVersions, erasedVersions, erasedBlobs, erasedBlobDigests,
                erasedStagingFiles, erasedCopies, location, digest);
    }
}
