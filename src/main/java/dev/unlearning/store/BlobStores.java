package dev.unlearning.store;

import dev.unlearning.api.Locations;
import java.nio.file.Path;

/** Opens the store a spec's URI names. */
public final class BlobStores {

    private BlobStores() {
    }

    /** {@code file:///dir}, {@code pvc://claim/dir} (under pvcRoot, where the Job mounts claims) or {@code s3://bucket/prefix}. */
    public static BlobStore open(String uri, Path pvcRoot) {
        Locations.requireNoParentSegments(uri);
        if (uri.startsWith("file://")) {
            return new FileBlobStore(Path.of(uri.substring("file://".length())));
        }
        if (uri.startsWith("pvc://")) {
            return new FileBlobStore(pvcRoot.resolve(uri.substring("pvc://".length())));
        }
        if (uri.startsWith("s3://")) {
            String rest = uri.substring("s3://".length());
            int slash = rest.indexOf('/');
            String bucket = slash < 0 ? rest : rest.substring(0, slash);
            String prefix = slash < 0 ? "" : rest.substring(slash + 1);
            return new S3BlobStore(S3BlobStore.clientFromEnvironment(), bucket, prefix);
        }
        throw new IllegalArgumentException("unsupported store URI " + uri + " (file://, pvc:// or s3://)");
    }
}
