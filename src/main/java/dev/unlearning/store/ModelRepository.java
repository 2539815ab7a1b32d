package dev.unlearning.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The versioned layout of one model in a blob store:
 * <pre>
 * models/&lt;name&gt;/blobs/&lt;sha256&gt;          content-addressed checkpoints and membership lists
 * models/&lt;name&gt;/versions/&lt;n&gt;.json        version manifests; written last, never overwritten
 * models/&lt;name&gt;/staging/&lt;run&gt;/&lt;file&gt;   results of parallel shard pods, before publication
 * models/&lt;name&gt;/certificates/&lt;id&gt;.json  unlearning certificates
 * models/&lt;name&gt;/detections/&lt;uid&gt;.json    dry-run reports of forget.outliers requests
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
    private final String namespace;
    private final IdDigestKey idKey;

    /** A model outside any namespace (the CLI on a laptop, benchmarks): its keys start {@code models/<model>/}. */
    public ModelRepository(BlobStore store, String model) {
        this(store, null, model);
    }

    /**
     * A ShardedModel's repository: keys start {@code models/<namespace>/<model>/}, so same-named models of two
     * namespaces on one bucket never share versions, blobs or tombstones.
     */
    public ModelRepository(BlobStore store, String namespace, String model) {
        this(store, namespace, model, null);
    }

    private ModelRepository(BlobStore store, String namespace, String model, IdDigestKey idKey) {
        if (!model.matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?")) {
            throw new IllegalArgumentException("model name " + model + " is not a DNS-1123 name");
        }
        if (namespace != null && !namespace.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?")) {
            throw new IllegalArgumentException("namespace " + namespace + " is not a DNS-1123 label");
        }
        this.store = store;
        this.model = model;
        this.namespace = namespace;
        this.idKey = idKey;
        this.root = "models/" + (namespace == null ? "" : namespace + "/") + model + "/";
    }

    /**
     * The same repository for a process that holds the namespace's id-digest key: it may read and write
     * tombstones. Without one, versions can be read (served, verified) but no tombstone can be made or matched.
     */
    public ModelRepository withIdKey(IdDigestKey key) {
        return new ModelRepository(store, namespace, model, key);
    }

    /** The id-digest key, which every role that forgets, trains or erases needs: without it, it fails closed. */
    public IdDigestKey idKey() {
        if (idKey == null) {
            throw new MissingIdKeyException(model);
        }
        return idKey;
    }

    /**
     * Whether the store holds versions of this model under the key layout from before namespaces were part of
     * it ({@code models/<model>/}): such a store must be moved, not silently started afresh without its tombstones.
     */
    public boolean hasUnnamespacedVersions(String model) throws IOException {
        return !store.list("models/" + model + "/versions/").isEmpty();
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
        return withDigestTombstones(JSON.readValue(data, VersionManifest.class));
    }

    /**
     * A version as this process may use it. Tombstones made with another id-digest key would match no record, so
     * every forgotten record would look new and be trained on again: that refuses to load. Tombstones written
     * before they were digests (raw ids, no key id) are digested here, so the next version stores digests only.
     */
    private VersionManifest withDigestTombstones(VersionManifest v) throws CorruptArtifactException {
        if (v.tombstones().isEmpty() || idKey == null) {
            return v;
        }
        if (v.tombstoneKey() == null) {
            return new VersionManifest(v.model(), v.version(), v.parentVersion(), v.createdAt(), v.layout(),
                    List.copyOf(idKey.records(v.tombstones())), idKey.id(), v.shards(), v.cause(), v.requests());
        }
        if (!v.tombstoneKey().equals(idKey.id())) {
            throw new CorruptArtifactException("version " + v.version() + " of model " + model + " has tombstones "
                    + "digested with id-digest key " + v.tombstoneKey() + ", but this pod holds key " + idKey.id()
                    + ": with another key every forgotten record would be trained on again, so nothing runs until "
                    + "the namespace's Secret unlearning-id-key holds the original key again");
        }
        return v;
    }

    /**
     * Makes a version visible. Refuses to overwrite: two writers racing for the same number cannot both win,
     * and a published version never changes. Refuses a version that would bring back a forgotten record: its
     * tombstones must hold every tombstone of the newest version.
     */
    public void publish(VersionManifest manifest) throws IOException {
        if (!manifest.tombstones().isEmpty() && (manifest.tombstoneKey() == null
                || !manifest.tombstones().stream().allMatch(t -> t.matches("[0-9a-f]{64}")))) {
            throw new IllegalArgumentException("version " + manifest.version() + " of model " + model
                    + ": tombstones must be keyed digests with their key's id, never raw record ids");
        }
        Optional<VersionManifest> newest = latest();
        if (newest.isPresent()) {
            requireTombstones(manifest, newest.get());
        }
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

    /**
     * The version, if it may be served: a version whose tombstones miss any of the newest version's still holds
     * records that were forgotten since, so serving it (or pinning it) is refused whatever a status says.
     */
    public VersionManifest servable(int n) throws IOException {
        VersionManifest version = version(n);
        requireTombstones(version, latest().orElseThrow());
        return version;
    }

    private static void requireTombstones(VersionManifest candidate, VersionManifest newest) {
        if (!new HashSet<>(candidate.tombstones()).containsAll(newest.tombstones())) {
            long missing = newest.tombstones().stream().filter(t -> !candidate.tombstones().contains(t)).count();
            throw new ForgottenRecordsException("version " + candidate.version() + " of model " + candidate.model()
                    + " lacks " + missing + " tombstone(s) of version " + newest.version()
                    + ": it still holds records forgotten since, so it is refused");
        }
    }

    /** Content digests of every blob in the store, sorted. */
    public List<String> blobDigests() throws IOException {
        String prefix = root + "blobs/";
        return store.list(prefix).stream().map(k -> k.substring(prefix.length())).toList();
    }

    public void deleteBlob(String digest) throws IOException {
        store.delete(blobKey(digest));
    }

    /** Removes a version's manifest: the version is gone; its blobs go with the next sweep. */
    public void deleteVersion(int n) throws IOException {
        store.delete(versionKey(n));
    }

    /** Every staged file (results, layouts, progress records) of every run, as store keys. */
    public List<String> stagingKeys() throws IOException {
        return store.list(root + "staging/");
    }

    public void deleteKey(String key) throws IOException {
        if (!key.startsWith(root)) {
            throw new IllegalArgumentException(key + " is outside model " + model);
        }
        store.delete(key);
    }

    /**
     * Deletes everything of this model but its certificates (proof, holding no raw ids): versions first, so no
     * reader ever loads a version whose blobs are going; returns how many keys went.
     */
    public int purge() throws IOException {
        List<String> keys = new ArrayList<>(keys());
        keys.sort((a, b) -> Boolean.compare(!a.contains("/versions/"), !b.contains("/versions/")));
        int deleted = 0;
        for (String key : keys) {
            if (!key.startsWith(root + "certificates/")) {
                store.delete(key);
                deleted++;
            }
        }
        return deleted + store.deleteHiddenCopies(root);
    }

    /** Copies of this model's objects that listing does not show (older versions, temporary files). */
    public List<String> hiddenCopies() throws IOException {
        return store.hiddenCopies(root);
    }

    public int deleteHiddenCopies() throws IOException {
        return store.deleteHiddenCopies(root);
    }

    /** Every key the store holds for this model (what an auditor lists). */
    public List<String> keys() throws IOException {
        return store.list(root);
    }

    /** Every blob a version needs: its shards' models, slice memberships and checkpoints. */
    public static Set<String> referencedBlobs(VersionManifest version) {
        Set<String> digests = new TreeSet<>();
        version.shards().forEach(shard -> digests.addAll(referencedBlobs(shard)));
        return digests;
    }

    /** The layout of a training run, staged by its shard pods for {@code publish}. */
    public void stageTrainingLayout(String run, ModelLayout layout) throws IOException {
        putStaging(trainingRun(run), "layout.json", layout);
    }

    public Optional<ModelLayout> stagedTrainingLayout(String run) throws IOException {
        return staging(trainingRun(run), "layout.json", ModelLayout.class);
    }

    /**
     * The records a training run left out (tombstones and ledger) as keyed digests, for publish to tombstone in the
     * version.
     */
    public void stageTrainingTombstones(String run, List<String> tombstones) throws IOException {
        putStaging(trainingRun(run), "tombstones.json", tombstones.toArray(String[]::new));
    }

    public Optional<List<String>> stagedTrainingTombstones(String run) throws IOException {
        return staging(trainingRun(run), "tombstones.json", String[].class).map(List::of);
    }

    /** One shard a training run's pod trained, not visible until {@code publish} assembles a version. */
    public void stageTrainedShard(String run, int shard, ShardEntry entry) throws IOException {
        putStaging(trainingRun(run), shardFile(shard), entry);
    }

    public Optional<ShardEntry> stagedTrainedShard(String run, int shard) throws IOException {
        return staging(trainingRun(run), shardFile(shard), ShardEntry.class);
    }

    /** The progress record of one shard of a training run, which a retried pod resumes from. */
    public void stageTrainingProgress(String run, int shard, Object record) throws IOException {
        putStaging(trainingRun(run), progressFile(shard), record);
    }

    public <T> Optional<T> stagedTrainingProgress(String run, int shard, Class<T> type) throws IOException {
        return staging(trainingRun(run), progressFile(shard), type);
    }

    /** One shard an unlearning run's pod computed, not visible until {@code finalize} publishes a version. */
    public void stageUnlearnedShard(String run, int shard, ShardEntry entry) throws IOException {
        putStaging(unlearningRun(run), shardFile(shard), entry);
    }

    public Optional<ShardEntry> stagedUnlearnedShard(String run, int shard) throws IOException {
        return staging(unlearningRun(run), shardFile(shard), ShardEntry.class);
    }

    public void putCertificate(String id, byte[] certificate) throws IOException {
        store.put(certificateLocation(id), certificate);
    }

    public Optional<byte[]> certificate(String id) throws IOException {
        return store.get(certificateLocation(id));
    }

    /** Writes a dry run's detection report; returns its key. Reports name records by keyed digest only. */
    public String putDetection(String request, byte[] report) throws IOException {
        store.put(detectionLocation(request), report);
        return detectionLocation(request);
    }

    public Optional<byte[]> detection(String request) throws IOException {
        return store.get(detectionLocation(request));
    }

    public String detectionLocation(String request) {
        return root + "detections/" + request + ".json";
    }

    /** Where the certificate {@code id} lies in the model's store (not the key that signs it). */
    public String certificateLocation(String id) {
        return root + "certificates/" + id + ".json";
    }

    private static List<String> referencedBlobs(ShardEntry shard) {
        List<String> digests = new ArrayList<>();
        digests.add(shard.modelDigest());
        for (SliceEntry slice : shard.slices()) {
            digests.add(slice.membershipDigest());
            digests.add(slice.checkpointDigest());
        }
        return digests;
    }

    // Staging keys (models/<namespace>/<name>/staging/train-<run>/shard-<k>.json and the like) are part of the store's
    // layout that docs and fault tests name: only the methods above build them.
    private void putStaging(String stagingDir, String file, Object value) throws IOException {
        store.put(root + "staging/" + stagingDir + "/" + file, json(value));
    }

    private <T> Optional<T> staging(String stagingDir, String file, Class<T> type) throws IOException {
        Optional<byte[]> data = store.get(root + "staging/" + stagingDir + "/" + file);
        return data.isEmpty() ? Optional.empty() : Optional.of(JSON.readValue(data.get(), type));
    }

    private static String trainingRun(String run) {
        return "train-" + run;
    }

    private static String unlearningRun(String run) {
        return "unlearn-" + run;
    }

    private static String shardFile(int shard) {
        return "shard-" + shard + ".json";
    }

    private static String progressFile(int shard) {
        return "shard-" + shard + ".progress.json";
    }

    /** The store key of version {@code n}'s manifest. */
    public String versionKey(int n) {
        return root + "versions/" + n + ".json";
    }

    /** The store key of the blob with this content digest. */
    public String blobKey(String digest) {
        return root + "blobs/" + digest;
    }

    static byte[] json(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    /** A role that needs to make or match tombstones runs without the namespace's id-digest key. */
    public static class MissingIdKeyException extends IllegalArgumentException {
        public MissingIdKeyException(String model) {
            super("model " + model + ": tombstones are keyed digests, and this process holds no id-digest key "
                    + "(Secret unlearning-id-key mounted at /etc/unlearning/id-key, or $UNLEARNING_ID_KEY)");
        }
    }

    /** A version that lacks tombstones of a newer one: it holds records that were forgotten since. */
    public static class ForgottenRecordsException extends IllegalArgumentException {
        public ForgottenRecordsException(String message) {
            super(message);
        }
    }

    /** Another writer published this version number first. */
    public static class VersionConflictException extends IOException {
        public VersionConflictException(String model, int version) {
            super("version " + version + " of model " + model + " already exists");
        }
    }
}
