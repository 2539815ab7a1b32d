package dev.unlearning.store;

import java.io.IOException;

/** A stored artifact whose bytes no longer match its digest, or that is missing although referenced. */
public class CorruptArtifactException extends IOException {
    public CorruptArtifactException(String message) {
        super(message);
    }
}
