package dev.unlearning.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The versioned layout of one model in a blob store:
 * <pre>
 * models/&lt;name&gt;/blobs/&lt;sha256&gt;          content-addressed checkpoints and membership lists
 * models/&lt;name&gt;/versions/&lt;n&gt;.json        version manifests; written last, never overwritten
 * models/&lt;name&gt;/staging/&lt;run&gt;/&lt;file&gt;   results of parallel shard pods, before publication
 * models/&lt;name&gt;/certificates/&lt;id&gt;.json  unlearning certificates
 * </pre>
 * Unchanged shards of a new version point at the blobs of the old one, so a version costs only what changed.
 */
public final class ModelRepository {

    public static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private static final Pattern VERSION_KEY = Pattern.compile(".*/versions/(\\d+)\\.json$");

    private final BlobStore store;
    private final String model;
    private final String root;

    public ModelRepository(BlobStore store, String model) {
        if (!model.matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?")) {
            throw new IllegalArgumentException("model name " + model + " is not a DNS-1123 name");
        }
        this.store = store;
        this.model = model;
        this.root = "models/" + model + "/";
    }

    public String model() {
        return model;
    }

    /** Stores bytes under their digest (idempotent) and returns the digest. */
    public String putBlob(byte[] data) throws IOException {
        String digest = Digests.sha256(data);
        String key = root + "blobs/" + digest;
        if (!store.exists(key)) {
            store.put(key, data);
        }
        return digest;
    }

    /** The blob's bytes, checked against its digest. */
    public byte[] blob(String digest) throws IOException {
        byte[] data = store.get(root + "blobs/" + digest)
                .orElseThrow(() -> new CorruptArtifactException(store.describe() + ": blob " + digest
                        + " of model " + model + " is missing"));
        if (!Digests.sha256(data).equals(digest)) {
            throw new CorruptArtifactException(store.describe() + ": blob " + digest + " of model " + model
                    + " is corrupt (its content digest differs)");
        }
        return data;
    }

    public List<Integer> versions() throws IOException {
        return store.list(root + "versions/").stream()
                .map(VERSION_KEY::matcher)
                .filter(Matcher::matches)
                .map(m -> Integer.parseInt(m.group(1)))
                .sorted()
                .toList();
    }

    public Optional<VersionManifest> latest() throws IOException {
        List<Integer> versions = versions();
        return versions.isEmpty() ? Optional.empty() : Optional.of(version(versions.get(versions.size() - 1)));
    }

    public VersionManifest version(int n) throws IOException {
        byte[] data = store.get(versionKey(n)).orElseThrow(() -> new CorruptArtifactException(
                store.describe() + ": model " + model + " has no version " + n));
        return JSON.readValue(data, VersionManifest.class);
    }

    /**
     * Makes a version visible. Refuses to overwrite: two writers racing for the same number cannot both win,
     * and a published version never changes.
     */
    public void publish(VersionManifest manifest) throws IOException {
        for (ShardEntry shard : manifest.shards()) {
            for (String digest : referencedBlobs(shard)) {
                if (!store.exists(root + "blobs/" + digest)) {
                    throw new CorruptArtifactException("version " + manifest.version() + " references missing blob "
                            + digest + " (shard " + shard.shard() + ")");
                }
            }
        }
        if (!store.putIfAbsent(versionKey(manifest.version()), json(manifest))) {
            throw new VersionConflictException(model, manifest.version());
        }
    }

    public void putStaging(String run, String file, Object value) throws IOException {
        store.put(root + "staging/" + run + "/" + file, json(value));
    }

    public <T> Optional<T> staging(String run, String file, Class<T> type) throws IOException {
        Optional<byte[]> data = store.get(root + "staging/" + run + "/" + file);
        return data.isEmpty() ? Optional.empty() : Optional.of(JSON.readValue(data.get(), type));
    }

    public void putCertificate(String id, byte[] certificate) throws IOException {
        store.put(root + "certificates/" + id + ".json", certificate);
    }

    public Optional<byte[]> certificate(String id) throws IOException {
        return store.get(root + "certificates/" + id + ".json");
    }

    public String certificateKey(String id) {
        return root + "certificates/" + id + ".json";
    }

    private static List<String> referencedBlobs(ShardEntry shard) {
        java.util.List<String> digests = new java.util.ArrayList<>();
        digests.add(shard.modelDigest());
        for (SliceEntry slice : shard.slices()) {
            digests.add(slice.membershipDigest());
            digests.add(slice.checkpointDigest());
        }
        return digests;
    }

    private String versionKey(int n) {
        return root + "versions/" + n + ".json";
    }

    static byte[] json(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    /** Another writer published this version number first. */
    public static class VersionConflictException extends IOException {
        public VersionConflictException(String model, int version) {
            super("version " + version + " of model " + model + " already exists");
        }
    }
}
