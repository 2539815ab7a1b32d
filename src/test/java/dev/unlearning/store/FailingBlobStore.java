package dev.unlearning.store;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/** A store that breaks on the n-th write or delete, as a full disk or a lost connection would mid-job. */
public final class FailingBlobStore implements BlobStore {

    private final BlobStore delegate;
    private final AtomicInteger writesLeft;
    private final AtomicInteger writes = new AtomicInteger();
    private final Predicate<String> counted;

    /** Fails the {@code failOnWrite}-th write (never when 0). */
    public FailingBlobStore(BlobStore delegate, int failOnWrite) {
        this(delegate, failOnWrite, key -> true);
    }

    /** Counts only writes of keys {@code counted} accepts, and fails the {@code failOnWrite}-th of them. */
    public FailingBlobStore(BlobStore delegate, int failOnWrite, Predicate<String> counted) {
        this.delegate = delegate;
        this.writesLeft = new AtomicInteger(failOnWrite);
        this.counted = counted;
    }

    /** Counted writes attempted so far, the failing one included. */
    public int writes() {
        return writes.get();
    }

    private void maybeFail(String key) throws IOException {
        if (!counted.test(key)) {
            return;
        }
        writes.incrementAndGet();
        if (writesLeft.decrementAndGet() == 0) {
            throw new IOException("injected failure writing " + key);
        }
    }

    @Override
    public void put(String key, byte[] data) throws IOException {
        maybeFail(key);
        delegate.put(key, data);
    }

    @Override
    public boolean putIfAbsent(String key, byte[] data) throws IOException {
        maybeFail(key);
        return delegate.putIfAbsent(key, data);
    }

    @Override
    public Optional<byte[]> get(String key) throws IOException {
        return delegate.get(key);
    }

    @Override
    public boolean exists(String key) throws IOException {
        return delegate.exists(key);
    }

    @Override
    public List<String> list(String prefix) throws IOException {
        return delegate.list(prefix);
    }

    @Override
    public void delete(String key) throws IOException {
        maybeFail(key);
        delegate.delete(key);
    }

    @Override
    public List<String> hiddenCopies(String prefix) throws IOException {
        return delegate.hiddenCopies(prefix);
    }

    @Override
    public int deleteHiddenCopies(String prefix) throws IOException {
        maybeFail(prefix);
        return delegate.deleteHiddenCopies(prefix);
    }

    @Override
    public String describe() {
        return "failing(" + delegate.describe() + ")";
    }
}
