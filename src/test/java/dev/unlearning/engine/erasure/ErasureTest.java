package dev.unlearning.engine.erasure;

import static dev.unlearning.engine.EngineFixtures.records;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.unlearning.api.ShardedModelSpec;
import dev.unlearning.api.UnlearningMethod;
import dev.unlearning.api.worker.ErasureResult;
import dev.unlearning.engine.EngineFixtures;
import dev.unlearning.engine.data.DataException;
import dev.unlearning.engine.data.Splits;
import dev.unlearning.engine.data.UriResolver;
import dev.unlearning.engine.training.ModelTraining;
import dev.unlearning.engine.training.ShardArtifacts;
import dev.unlearning.engine.unlearning.ApproximateSettings;
import dev.unlearning.engine.unlearning.ForgetRequests;
import dev.unlearning.engine.unlearning.ForgetSet;
import dev.unlearning.engine.unlearning.LedgerForgets;
import dev.unlearning.engine.unlearning.Unlearning;
import dev.unlearning.store.BlobStore;
import dev.unlearning.store.attestation.Certificates;
import dev.unlearning.store.CorruptArtifactException;
import dev.unlearning.store.FailingBlobStore;
import dev.unlearning.store.FileBlobStore;
import dev.unlearning.store.IdDigestKey;
import dev.unlearning.store.ModelRepository.ForgottenRecordsException;
import dev.unlearning.store.ModelRepository;
import dev.unlearning.store.S3BlobStore;
import dev.unlearning.store.S3TestServer;
import dev.unlearning.store.VersionedS3Server;
import dev.unlearning.store.attestation.CertificateAudit;
import dev.unlearning.store.attestation.Dsse;
import dev.unlearning.store.attestation.SigningKeys;
import dev.unlearning.api.ErasureRun;
import dev.unlearning.api.ShardedModel;
import dev.unlearning.operator.certificates.CertificateStatements;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Instant;
import java.util.Map;
import dev.unlearning.store.ShardEntry;
import dev.unlearning.store.VersionManifest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the store keeps after forgetting. Random sequences of training, exact and approximate forgetting,
 * retraining, re-creating the model on the same store, a new model on the same dataset (given the dataset's
 * ledger) and erasing, with every key listed after each step:
 * no version that may be served or pinned lacks a tombstone, and once erasure ran, no kept version other than
 * the newest/served one holds a forgotten id, no unreferenced blob or staged file survives, and every kept
 * version is whole. Against the file store and a real S3-compatible server.
 */
class ErasureTest {

    static final dev.unlearning.store.attestation.Provenance TENANT = new dev.unlearning.store.attestation.Provenance(
            dev.unlearning.store.attestation.Provenance.TENANT_NAMESPACE, "unlearning-operator@unlearning-system",
            "team-a");


    @TempDir
    static Path s3Backing;
    static S3TestServer s3;

    @TempDir
    Path dir;

    @BeforeAll
    static void startS3() throws Exception {
        s3 = S3TestServer.start(s3Backing, "models");
    }

    @AfterAll
    static void stopS3() throws Exception {
        s3.close();
    }

    @ParameterizedTest(name = "{0} store")
    @ValueSource(strings = {"file", "s3"})
    void randomSequencesLeaveNoForgottenRecordInAnyKeptVersion(String kind) throws Exception {
        BlobStore store = kind.equals("file") ? new FileBlobStore(dir) : new S3BlobStore(s3.client(), "models", "prop");
        Splits data = EngineFixtures.fashion(900, 200);
        ShardedModelSpec spec = EngineFixtures.spec(3, 3, 1, dir);
        ModelRepository repo = new ModelRepository(store, "prop").withIdKey(EngineFixtures.ID_KEY);
        new ModelTraining(repo, spec).trainAll(data.train());
        Random random = new Random(kind.equals("file") ? 11 : 12);
        Set<String> forgotten = new TreeSet<>();
        List<String> steps = new ArrayList<>();
        for (int step = 0; step < 9; step++) {
            // Every sequence has a new model on the dataset and ends with an erasure; the rest is random.
            int op = step == 8 ? 5 : step == 4 ? 6 : random.nextInt(7);
            switch (op) {
                case 0, 1 -> forget(repo, spec, data, UnlearningMethod.EXACT, random, forgotten);
                case 2 -> forget(repo, spec, data, UnlearningMethod.NEG_GRAD_PLUS, random, forgotten);
                case 3 -> new ModelTraining(repo, spec).trainAll(data.train());
                case 4 -> {
                    // The model is deleted and created again on the same store: it must inherit the tombstones.
                    repo = new ModelRepository(store, "prop").withIdKey(EngineFixtures.ID_KEY);
                    new ModelTraining(repo, spec).trainAll(data.train());
                }
                case 6 -> {
                    // Another model on the same dataset, trained with the dataset's ledger of what was forgotten.
                    ModelRepository other = new ModelRepository(store, "other-" + step).withIdKey(EngineFixtures.ID_KEY);
                    var ledger = DatasetLedgerTest.ledger(DatasetLedgerTest.entry("all", records(List.copyOf(forgotten)),
                            data.train().digest()));
                    VersionManifest trained = new ModelTraining(other, spec).withLedger(new LedgerForgets(
                            new ForgetRequests(UriResolver.local(dir))).forgotten(ledger, data.train(),
                            data.train().digest())).trainAll(data.train());
                    assertThat(trained.tombstones()).as("new model after %s", steps)
                            .containsAll(EngineFixtures.ID_KEY.records(forgotten));
                    for (ShardEntry shard : trained.shards()) {
                        assertThat(ShardArtifacts.membership(other, shard)).noneMatch(forgotten::contains);
                    }
                }
                default -> {
                    int retention = 1 + random.nextInt(3);
                    ErasureResult result = new ErasureCertifier(repo, Clock.systemUTC())
                            .erase(repo.latest().orElseThrow().version(), retention);
                    assertErased(repo, forgotten, retention, result);
                }
            }
            steps.add(List.of("exact", "exact", "approximate", "retrain", "re-create", "erase", "new model").get(op));
            assertNoWayBack(repo, forgotten, steps);
        }
    }

    @Test
    void onAVersionedBucketNoOlderVersionOfWhatWasErasedRemainsAndVerifyChecksThat() throws Exception {
        try (VersionedS3Server versioned = VersionedS3Server.start("models")) {
            S3BlobStore store = new S3BlobStore(versioned.client(), "models", "");
            ModelRepository repo = new ModelRepository(store, "team-a", "fm").withIdKey(EngineFixtures.ID_KEY);
            Splits data = EngineFixtures.fashion(600, 100);
            ShardedModelSpec spec = EngineFixtures.spec(2, 2, 1, dir);
            new ModelTraining(repo, spec).trainAll(data.train());
            new Unlearning(repo, spec, ApproximateSettings.defaults()).run(data,
                    ForgetSet.resolve(records(List.of("train-3", "train-40")), data.train()), UnlearningMethod.EXACT,
                    List.of("r"));

            ErasureResult result = new ErasureCertifier(repo, Clock.systemUTC()).erase(2, 1);

            assertThat(result.erasedVersions()).containsExactly(1);
            assertThat(result.erasedCopies()).as("each delete left the old object behind a marker").isPositive();
            assertThat(repo.hiddenCopies()).isEmpty();
            // Read through the versions API itself, not the store's own reading of it.
            var versions = versioned.client().listObjectVersionsPaginator(b -> b.bucket("models"));
            List<String> keys = versions.versions().stream().map(v -> v.key()).toList();
            assertThat(keys).as("one version per key, the current one").doesNotHaveDuplicates()
                    .doesNotContain(repo.versionKey(1));
            assertThat(keys).noneMatch(k -> result.erasedBlobDigests().stream().anyMatch(d -> k.equals(repo.blobKey(d))));
            assertThat(versions.deleteMarkers().stream().toList()).isEmpty();

            KeyPair operator = SigningKeys.generate();
            ShardedModel model = new ShardedModel();
            model.setMetadata(new ObjectMetaBuilder().withName("fm").withNamespace("team-a").withUid("uid").build());
            ErasureRun run = new ErasureRun();
            run.setId("e1");
            byte[] certificate = Dsse.sign(Dsse.IN_TOTO, CertificateStatements.erasure(model, run, result,
                    repo.version(2).ensembleDigest(), Instant.now(), TENANT), SigningKeys.keyId(operator.getPublic()),
                    operator.getPrivate()).toJson();
            Map<String, PublicKey> keyring = Map.of(SigningKeys.keyId(operator.getPublic()), operator.getPublic());
            CertificateAudit.Expectations withStore = new CertificateAudit.Expectations(null, null, store, List.of());
            assertThat(CertificateAudit.check(certificate, keyring, withStore)).anyMatch(l -> l.contains("every older copy"));

            // A worker that deleted without reaching the older versions leaves one behind: verify finds it.
            String blob = repo.blobKey(result.erasedBlobDigests().get(0));
            store.put(blob, "what the blob held".getBytes(StandardCharsets.UTF_8));
            store.delete(blob);
            assertThatThrownBy(() -> CertificateAudit.check(certificate, keyring, withStore))
                    .hasMessageContaining("hidden cop(ies) of what was erased").hasMessageContaining(blob + "@");
        }
    }

    @Test
    void aKilledWritersTemporaryFileIsSweptByErasureAndFoundByVerify() throws Exception {
        ModelRepository repo = new ModelRepository(new FileBlobStore(dir), "team-a", "tmp").withIdKey(EngineFixtures.ID_KEY);
        Splits data = EngineFixtures.fashion(600, 100);
        ShardedModelSpec spec = EngineFixtures.spec(2, 2, 1, dir);
        new ModelTraining(repo, spec).trainAll(data.train());
        Path blobs = dir.resolve(repo.blobKey("x")).getParent();
        Files.writeString(blobs.resolve(".tmp-4711"), "half of a checkpoint");
        assertThat(repo.keys()).as("listing never shows it").noneMatch(k -> k.contains(".tmp-"));
        assertThat(repo.hiddenCopies()).singleElement().asString().endsWith("/blobs/.tmp-4711");

        ErasureResult result = new ErasureCertifier(repo, Clock.systemUTC()).erase(1, 1);

        assertThat(result.erasedCopies()).isEqualTo(1);
        assertThat(blobs.resolve(".tmp-4711")).doesNotExist();
    }

    @Test
    void anInterruptedErasureLeavesEveryKeptVersionWholeAndARerunFinishes() throws Exception {
        Path original = dir.resolve("original");
        ModelRepository repo = new ModelRepository(new FileBlobStore(original), "crash").withIdKey(EngineFixtures.ID_KEY);
        Splits data = EngineFixtures.fashion(900, 200);
        ShardedModelSpec spec = EngineFixtures.spec(3, 3, 1, original);
        new ModelTraining(repo, spec).trainAll(data.train());
        Unlearning unlearning = new Unlearning(repo, spec, ApproximateSettings.defaults());
        unlearning.run(data, ForgetSet.resolve(records(List.of("train-3", "train-40")), data.train()),
                UnlearningMethod.EXACT, List.of("a"));
        unlearning.run(data, ForgetSet.resolve(records(List.of("train-77")), data.train()),
                UnlearningMethod.EXACT, List.of("b"));

        for (int failAt : new int[] {1, 2, 5, 12}) {
            Path copy = dir.resolve("copy-" + failAt);
            copyTree(original, copy);
            ModelRepository failing = new ModelRepository(new FailingBlobStore(new FileBlobStore(copy), failAt), "crash").withIdKey(EngineFixtures.ID_KEY);
            assertThatThrownBy(() -> new Erasure(failing).execute(new Erasure(failing).plan(3, 1)))
                    .isInstanceOf(IOException.class).hasMessageContaining("injected failure");

            ModelRepository after = new ModelRepository(new FileBlobStore(copy), "crash").withIdKey(EngineFixtures.ID_KEY);
            for (int version : after.versions()) {
                assertWhole(after, after.version(version));
            }
            assertThat(after.versions()).as("the newest version survives any interruption").contains(3);
            new Erasure(after).execute(new Erasure(after).plan(3, 1));
            assertThat(after.versions()).containsExactly(3);
            assertThat(after.blobDigests()).containsExactlyInAnyOrderElementsOf(
                    ModelRepository.referencedBlobs(after.version(3)));
        }
    }

    @Test
    void aVersionThatLacksTombstonesIsNeverPublishedAgainNorServed() throws Exception {
        ModelRepository repo = new ModelRepository(new FileBlobStore(dir), "back").withIdKey(EngineFixtures.ID_KEY);
        Splits data = EngineFixtures.fashion(600, 100);
        ShardedModelSpec spec = EngineFixtures.spec(2, 2, 1, dir);
        VersionManifest v1 = new ModelTraining(repo, spec).trainAll(data.train());
        new Unlearning(repo, spec, ApproximateSettings.defaults()).run(data,
                ForgetSet.resolve(records(List.of("train-5")), data.train()), UnlearningMethod.EXACT, List.of("r"));

        VersionManifest relabelled = new VersionManifest(v1.model(), 3, 2, v1.createdAt(), v1.layout(),
                v1.tombstones(), v1.tombstoneKey(), v1.shards(), "train", List.of());
        assertThatThrownBy(() -> repo.publish(relabelled)).isInstanceOf(ForgottenRecordsException.class)
                .hasMessageContaining("lacks 1 tombstone(s) of version 2");
        assertThatThrownBy(() -> repo.servable(1)).isInstanceOf(ForgottenRecordsException.class);
        assertThat(repo.servable(2).version()).isEqualTo(2);
    }

    @Test
    void purgingAModelsStoreKeepsOnlyItsCertificates() throws Exception {
        ModelRepository repo = new ModelRepository(new FileBlobStore(dir), "purge").withIdKey(EngineFixtures.ID_KEY);
        Splits data = EngineFixtures.fashion(600, 100);
        ShardedModelSpec spec = EngineFixtures.spec(2, 2, 1, dir);
        new ModelTraining(repo, spec).trainAll(data.train());
        new ErasureCertifier(repo, Clock.systemUTC()).erase(1, 1);
        int before = repo.keys().size();

        int deleted = repo.purge();

        assertThat(deleted).isEqualTo(before - 1);
        assertThat(repo.keys()).singleElement().asString().contains("/certificates/erasure-v1-");
        assertThat(repo.versions()).isEmpty();
    }

    @Test
    void afterExactForgettingAndErasureTheStoreHoldsForgottenIdsOnlyAsKeyedDigests() throws Exception {
        ModelRepository repo = new ModelRepository(new FileBlobStore(dir), "private").withIdKey(EngineFixtures.ID_KEY);
        Splits data = EngineFixtures.fashion(600, 100);
        ShardedModelSpec spec = EngineFixtures.spec(2, 2, 1, dir);
        new ModelTraining(repo, spec).trainAll(data.train());
        // Ids no other id starts with (600 rows), so a plain substring search is exact.
        List<String> forgotten = List.of("train-517", "train-433");
        new Unlearning(repo, spec, ApproximateSettings.defaults()).run(data,
                ForgetSet.resolve(records(forgotten), data.train()), UnlearningMethod.EXACT, List.of("r"));
        new ErasureCertifier(repo, Clock.systemUTC()).erase(2, 1);

        assertThat(repo.latest().orElseThrow().tombstones())
                .containsExactlyInAnyOrderElementsOf(EngineFixtures.ID_KEY.records(forgotten));
        try (Stream<Path> files = Files.walk(dir.resolve("models/private"))) {
            List<Path> all = files.filter(Files::isRegularFile).toList();
            assertThat(all).as("versions, blobs and the erasure certificate").hasSizeGreaterThan(5);
            for (Path file : all) {
                assertThat(Files.readString(file, StandardCharsets.ISO_8859_1)).as("%s", dir.relativize(file))
                        .doesNotContain("train-517").doesNotContain("train-433");
            }
        }
    }

    @Test
    void anotherOrAMissingIdKeyStopsWorkersInsteadOfUnforgetting() throws Exception {
        ModelRepository repo = new ModelRepository(new FileBlobStore(dir), "keyed").withIdKey(EngineFixtures.ID_KEY);
        Splits data = EngineFixtures.fashion(600, 100);
        ShardedModelSpec spec = EngineFixtures.spec(2, 2, 1, dir);
        new ModelTraining(repo, spec).trainAll(data.train());
        new Unlearning(repo, spec, ApproximateSettings.defaults()).run(data,
                ForgetSet.resolve(records(List.of("train-5")), data.train()), UnlearningMethod.EXACT, List.of("r"));

        ModelRepository replaced = new ModelRepository(new FileBlobStore(dir), "keyed")
                .withIdKey(new IdDigestKey("a-replaced-id-digest-key".getBytes(StandardCharsets.UTF_8)));
        assertThatThrownBy(() -> new ModelTraining(replaced, spec).trainAll(data.train()))
                .as("with another key train-5 would look new and be trained on again")
                .isInstanceOf(CorruptArtifactException.class).hasMessageContaining("digested with id-digest key "
                        + EngineFixtures.ID_KEY.id()).hasMessageContaining("unlearning-id-key");

        ModelRepository keyless = new ModelRepository(new FileBlobStore(dir), "keyed");
        assertThatThrownBy(() -> new ModelTraining(keyless, spec).trainAll(data.train()))
                .isInstanceOf(ModelRepository.MissingIdKeyException.class).hasMessageContaining("no id-digest key");
        assertThat(keyless.servable(2).version()).as("serving and auditing need no key").isEqualTo(2);
        assertThat(repo.versions()).containsExactly(1, 2);
    }

    @Test
    void rawTombstonesOfAnOlderVersionAreDigestedAndNeverWrittenAgain() throws Exception {
        FileBlobStore store = new FileBlobStore(dir);
        ModelRepository repo = new ModelRepository(store, "legacy").withIdKey(EngineFixtures.ID_KEY);
        Splits data = EngineFixtures.fashion(600, 100);
        ShardedModelSpec spec = EngineFixtures.spec(2, 2, 1, dir);
        VersionManifest v1 = new ModelTraining(repo, spec).trainAll(data.train());
        VersionManifest legacy = new VersionManifest(v1.model(), 2, 1, v1.createdAt(), v1.layout(),
                List.of("train-5"), null, v1.shards(), "unlearn:EXACT", List.of("old"));
        store.put("models/legacy/versions/2.json", ModelRepository.JSON.writeValueAsBytes(legacy));

        assertThat(repo.version(2).tombstones()).containsExactly(EngineFixtures.ID_KEY.record("train-5"));
        assertThatThrownBy(() -> repo.publish(legacy)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("never raw record ids");
        VersionManifest v3 = new ModelTraining(repo, spec).trainAll(data.train());
        assertThat(v3.tombstones()).containsExactly(EngineFixtures.ID_KEY.record("train-5"));
        assertThat(v3.tombstoneKey()).isEqualTo(EngineFixtures.ID_KEY.id());
        assertThat(ShardArtifacts.membership(repo, v3.shards().get(0))).doesNotContain("train-5");
        assertThat(ShardArtifacts.membership(repo, v3.shards().get(1))).doesNotContain("train-5");
    }

    @Test
    void forgettingOrRetrainingByRowPositionOnChangedDataIsRefused() throws Exception {
        ModelRepository repo = new ModelRepository(new FileBlobStore(dir), "moved").withIdKey(EngineFixtures.ID_KEY);
        Splits data = EngineFixtures.fashion(600, 100);
        ShardedModelSpec spec = EngineFixtures.spec(2, 2, 1, dir);
        VersionManifest v1 = new ModelTraining(repo, spec).trainAll(data.train());
        assertThat(v1.layout().dataDigest()).isEqualTo(data.train().digest());
        // Row 0 now holds other content under the same positional id train-0.
        Splits changed = data.withTrain(data.train().withRecords(new int[] {0},
                new float[][] {new float[data.train().features().dim()]}, new int[] {3}));
        assertThat(changed.train().digest()).isNotEqualTo(v1.layout().dataDigest());

        Unlearning unlearning = new Unlearning(repo, spec, ApproximateSettings.defaults());
        assertThatThrownBy(() -> unlearning.run(changed, ForgetSet.resolve(records(List.of("train-5")),
                changed.train()), UnlearningMethod.EXACT, List.of("r"))).isInstanceOf(DataException.class)
                .hasMessageContaining("changed since version 1").hasMessageContaining("row positions");

        unlearning.run(data, ForgetSet.resolve(records(List.of("train-5")), data.train()), UnlearningMethod.EXACT,
                List.of("r"));
        assertThatThrownBy(() -> new ModelTraining(repo, spec).trainAll(changed.train()))
                .isInstanceOf(DataException.class).hasMessageContaining("1 tombstone(s) are row positions");
        assertThat(new ModelTraining(repo, spec).trainAll(data.train()).version()).isEqualTo(3);
    }

    private static void forget(ModelRepository repo, ShardedModelSpec spec, Splits data, UnlearningMethod method,
            Random random, Set<String> forgotten) throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0, n = 1 + random.nextInt(8); i < n; i++) {
            ids.add("train-" + random.nextInt(data.train().size()));
        }
        new Unlearning(repo, spec, ApproximateSettings.defaults()).run(data,
                ForgetSet.resolve(records(ids), data.train()), method, List.of("r" + forgotten.size()));
        forgotten.addAll(ids);
    }

    /** Every version still in the store may be served only if it holds every tombstone. */
    private static void assertNoWayBack(ModelRepository repo, Set<String> forgotten, List<String> steps)
            throws IOException {
        VersionManifest newest = repo.latest().orElseThrow();
        Set<String> digests = EngineFixtures.ID_KEY.records(forgotten);
        assertThat(newest.tombstones()).as("after %s", steps).containsAll(digests);
        for (int version : repo.versions()) {
            VersionManifest manifest = repo.version(version);
            if (new HashSet<>(manifest.tombstones()).containsAll(digests)) {
                assertThat(repo.servable(version).version()).isEqualTo(version);
            } else {
                assertThatThrownBy(() -> repo.servable(version)).as("version %d after %s", version, steps)
                        .isInstanceOf(ForgottenRecordsException.class);
            }
        }
    }

    private static void assertErased(ModelRepository repo, Set<String> forgotten, int retention, ErasureResult result)
            throws IOException {
        List<String> keys = repo.keys();
        assertThat(keys).noneMatch(k -> k.contains("/staging/"));
        int newest = repo.latest().orElseThrow().version();
        int clean = 0;
        Set<String> referenced = new HashSet<>();
        for (int version : repo.versions()) {
            VersionManifest manifest = repo.version(version);
            assertWhole(repo, manifest);
            referenced.addAll(ModelRepository.referencedBlobs(manifest));
            boolean holds = false;
            for (ShardEntry shard : manifest.shards()) {
                holds |= ShardArtifacts.membership(repo, shard).stream().anyMatch(forgotten::contains);
            }
            if (version != newest) {
                assertThat(holds).as("kept version %d holds a forgotten id", version).isFalse();
            }
            clean += holds ? 0 : 1;
        }
        assertThat(clean).isLessThanOrEqualTo(retention);
        assertThat(repo.blobDigests()).as("only what kept versions need").containsExactlyInAnyOrderElementsOf(referenced);
        assertThat(repo.hiddenCopies()).as("no older copy of anything").isEmpty();
        assertThat(result.keptVersions()).containsExactlyElementsOf(repo.versions());
        byte[] certificate = repo.certificate(result.certificateLocation().replaceAll(".*/", "").replace(".json", ""))
                .orElseThrow();
        assertThat(Certificates.verifyErasure(certificate, EngineFixtures.ID_KEY.bytes())).isTrue();
        assertThat(new String(certificate, StandardCharsets.UTF_8)).as("no raw ids").doesNotContain("train-");
    }

    private static void assertWhole(ModelRepository repo, VersionManifest manifest) throws IOException {
        for (String digest : ModelRepository.referencedBlobs(manifest)) {
            assertThat(repo.blob(digest)).as("blob %s of kept version %d", digest, manifest.version()).isNotEmpty();
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : files.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
    }
}
