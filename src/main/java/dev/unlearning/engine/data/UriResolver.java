package dev.unlearning.engine.data;

import dev.unlearning.api.Locations;
import java.io.IOException;
import java.nio.file.Path;

/** Turns a dataset URI from a spec into a local path the readers can open (downloading if it must). */
@FunctionalInterface
public interface UriResolver {

    Path resolve(String uri) throws IOException;

    /**
     * file:// maps to the path itself; pvc://claim/path to {@code <pvcRoot>/claim/path}, where the Job mounts
     * each claim. s3:// needs a downloading resolver ({@link #withS3}).
     */
    static UriResolver local(Path pvcRoot) {
        return uri -> {
            Locations.requireNoParentSegments(uri);
            if (uri.startsWith("file://")) {
                return Path.of(uri.substring("file://".length()));
            }
            if (uri.startsWith("pvc://")) {
                return pvcRoot.resolve(uri.substring("pvc://".length()));
            }
            throw new DataException("cannot read " + uri + " here: only file:// and pvc:// are local");
        };
    }

    /** Like {@link #local}, and s3:// brought onto the pod's scratch volume by {@code s3}. */
    static UriResolver withS3(Path pvcRoot, S3DataFiles s3) {
        UriResolver local = local(pvcRoot);
        return uri -> uri.startsWith("s3://") ? s3.fetch(uri) : local.resolve(uri);
    }
}
