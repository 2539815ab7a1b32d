package dev.unlearning.store;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** A directory (local disk or a mounted PVC). Writes go to a temp file and are renamed into place. */
public final class FileBlobStore implements BlobStore {

    private final Path root;

    public FileBlobStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    @Override
    public void put(String key, byte[] data) throws IOException {
        Path target = path(key);
        Path temp = temp(target, data);
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public boolean putIfAbsent(String key, byte[] data) throws IOException {
        Path target = path(key);
        Path temp = temp(target, data);
        try {
            // A hard link is created atomically and fails if the name exists, unlike rename, which replaces.
            Files.createLink(target, temp);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    @Override
    public Optional<byte[]> get(String key) throws IOException {
        try {
            return Optional.of(Files.readAllBytes(path(key)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public boolean exists(String key) throws IOException {
        return Files.isRegularFile(path(key));
    }

    @Override
    public List<String> list(String prefix) throws IOException {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile)
                    .map(p -> root.relativize(p).toString().replace('\\', '/'))
                    .filter(k -> k.startsWith(prefix) && !k.contains("/.tmp-"))
                    .sorted()
                    .toList();
        }
    }

    @Override
    public void delete(String key) throws IOException {
        Files.deleteIfExists(path(key));
    }

    /**
     * Temporary files of writers killed before their rename (any file whose name holds {@code .tmp-}, the
     * contract's convention): each holds a whole or partial object.
     */
    @Override
    public List<String> hiddenCopies(String prefix) throws IOException {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile)
                    .map(p -> root.relativize(p).toString().replace('\\', '/'))
                    .filter(k -> k.startsWith(prefix) && k.substring(k.lastIndexOf('/') + 1).contains(".tmp-"))
                    .sorted()
                    .toList();
        }
    }

    @Override
    public int deleteHiddenCopies(String prefix) throws IOException {
        List<String> copies = hiddenCopies(prefix);
        for (String copy : copies) {
            Files.deleteIfExists(path(copy));
        }
        return copies.size();
    }

    @Override
    public String describe() {
        return "file://" + root;
    }

    private Path path(String key) throws IOException {
        Path p = root.resolve(key).normalize();
        if (!p.startsWith(root) || key.isEmpty()) {
            throw new IOException("key " + key + " escapes the store root");
        }
        return p;
    }

    private static Path temp(Path target, byte[] data) throws IOException {
        Files.createDirectories(target.getParent());
        Path temp = Files.createTempFile(target.getParent(), ".tmp-", "");
        Files.write(temp, data);
        return temp;
    }
}
