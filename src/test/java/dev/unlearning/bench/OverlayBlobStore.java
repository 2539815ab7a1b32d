package dev.unlearning.bench;

import dev.unlearning.store.BlobStore;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Reads through to a base store and writes to its own: every method in a scenario starts from the same
 * trained version without copying hundreds of megabytes of checkpoints.
 */
final class OverlayBlobStore implements BlobStore {

    private final BlobStore upper;
    private final BlobStore lower;

    OverlayBlobStore(BlobStore upper, BlobStore lower) {
        this.upper = upper;
        this.lower = lower;
    }

    @Override
    public void put(String key, byte[] data) throws IOException {
        upper.put(key, data);
    }

    @Override
    public boolean putIfAbsent(String key, byte[] data) throws IOException {
        return !lower.exists(key) && upper.putIfAbsent(key, data);
    }

    @Override
    public Optional<byte[]> get(String key) throws IOException {
        Optional<byte[]> value = upper.get(key);
        return value.isPresent() ? value : lower.get(key);
    }

    @Override
    public boolean exists(String key) throws IOException {
        return upper.exists(key) || lower.exists(key);
    }

    @Override
    public List<String> list(String prefix) throws IOException {
        TreeSet<String> keys = new TreeSet<>(lower.list(prefix));
        keys.addAll(upper.list(prefix));
        return List.copyOf(keys);
    }

    @Override
    public void delete(String key) throws IOException {
        upper.delete(key);
    }

    @Override
    public List<String> hiddenCopies(String prefix) throws IOException {
        return upper.hiddenCopies(prefix);
    }

    /** Only the scenario's own copies: the base store is shared and never written. */
    @Override
    public int deleteHiddenCopies(String prefix) throws IOException {
        return upper.deleteHiddenCopies(prefix);
    }

    @Override
    public String describe() {
        return upper.describe() + " over " + lower.describe();
    }
}
