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
     * each claim. s3:// needs a downloading resolver (see the store package).
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
}
