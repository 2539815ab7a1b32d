package dev.unlearning.store;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Keyed bytes, the one thing the engine and operator need from storage. Every write of one key is atomic:
 * readers see the old bytes or the new, never a part.
 */
public interface BlobStore {

    void put(String key, byte[] data) throws IOException;

    /** Writes only if the key does not exist yet; false when it did (someone else won). */
    boolean putIfAbsent(String key, byte[] data) throws IOException;

    Optional<byte[]> get(String key) throws IOException;

    boolean exists(String key) throws IOException;

    /** Keys under a prefix, sorted. */
    List<String> list(String prefix) throws IOException;

    void delete(String key) throws IOException;

    /**
     * Copies the store keeps under {@code prefix} besides each key's current object, which {@link #list} does not
     * show but which still hold what was written: older object versions and delete markers on a versioned bucket,
     * temporary files of writers that were killed. Fails, naming why, when the store cannot tell.
     */
    List<String> hiddenCopies(String prefix) throws IOException;

    /** Deletes every copy {@link #hiddenCopies} lists; returns how many went. */
    int deleteHiddenCopies(String prefix) throws IOException;

    /** Where this store lives, for messages. */
    String describe();
}
