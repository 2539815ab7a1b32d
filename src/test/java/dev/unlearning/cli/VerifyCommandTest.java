package dev.unlearning.cli;

import static dev.unlearning.engine.EngineFixtures.records;
import static org.assertj.core.api.Assertions.assertThat;

import dev.unlearning.api.BatchRun;
import dev.unlearning.api.ErasureRun;
import dev.unlearning.api.RunMember;
import dev.unlearning.api.ShardedModel;
import dev.unlearning.api.ShardedModelSpec;
import dev.unlearning.api.UnlearningMethod;
import dev.unlearning.api.VerificationSpec;
import dev.unlearning.api.worker.ErasureResult;
import dev.unlearning.api.worker.FinalizeResult;
import dev.unlearning.api.worker.Measurements;
import dev.unlearning.engine.EngineFixtures;
import dev.unlearning.engine.data.Splits;
import dev.unlearning.engine.erasure.ErasureCertifier;
import dev.unlearning.engine.training.ModelTraining;
import dev.unlearning.engine.unlearning.ApproximateSettings;
import dev.unlearning.engine.unlearning.ForgetSet;
import dev.unlearning.engine.unlearning.Unlearning;
import dev.unlearning.engine.unlearning.UnlearningOutcome;
import dev.unlearning.operator.certificates.CertificateStatements;
import dev.unlearning.store.attestation.Certificate;
import dev.unlearning.store.attestation.Certificates;
import dev.unlearning.store.Digests;
import dev.unlearning.store.attestation.Dsse;
import dev.unlearning.store.FileBlobStore;
import dev.unlearning.store.ModelRepository;
import dev.unlearning.store.attestation.SigningKeys;
import dev.unlearning.store.VersionManifest;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code verify} as an auditor runs it, with nothing but the public keys and read access to the store: the
 * certificates of a real forget and erasure verify; a forged, altered, foreign-key or other-namespace
 * certificate, and a store that no longer holds what was signed, do not.
 */
class VerifyCommandTest {

    static final dev.unlearning.store.attestation.Provenance TENANT = new dev.unlearning.store.attestation.Provenance(
            dev.unlearning.store.attestation.Provenance.TENANT_NAMESPACE, "unlearning-operator@unlearning-system",
            "team-a");

    @TempDir
    Path dir;

    final KeyPair operator = SigningKeys.generate();
    ModelRepository repo;
    ShardedModel model;
    Path keys;
    FinalizeResult result;

    @BeforeEach
    void forgetThreeRecords() throws Exception {
        Splits data = EngineFixtures.fashion(600, 100);
        ShardedModelSpec spec = EngineFixtures.spec(2, 2, 1, dir);
        repo = new ModelRepository(new FileBlobStore(dir.resolve("store")), "team-a", "fm").withIdKey(EngineFixtures.ID_KEY);
        new ModelTraining(repo, spec).trainAll(data.train());
        UnlearningOutcome outcome = new Unlearning(repo, spec, ApproximateSettings.defaults()).run(data,
                ForgetSet.resolve(records(List.of("train-3", "train-40", "train-77")), data.train()),
                UnlearningMethod.EXACT, List.of("uid-r1"));
        VersionManifest after = outcome.after();
        byte[] evidence = evidence(after, List.of("train-3", "train-40", "train-77"));
        repo.putCertificate("u1-exact", evidence);
        result = new FinalizeResult("u1-exact", true, after.version(), 1, outcome.before().ensembleDigest(),
                after.ensembleDigest(), UnlearningMethod.EXACT, List.of(0), 3, 0, List.of(), Measurements.none(),
                Measurements.none(), repo.certificateLocation("u1-exact"), Digests.sha256(evidence), Map.of(),
                VersionManifest.tombstoneDigest(after.tombstones()));
        model = new ShardedModel();
        model.setMetadata(new ObjectMetaBuilder().withName("fm").withNamespace("team-a").withUid("model-uid").build());
        model.setSpec(spec);
        keys = Files.writeString(dir.resolve("keys.pem"), SigningKeys.publicPem(operator.getPublic()));
    }

    @Test
    void theCertificateOfARealForgetVerifiesOfflineAndAgainstTheStore() throws Exception {
        Path certificate = sign(unlearning(), operator);
        Outcome valid = verify(certificate, "--namespace", "team-a", "--model", "fm", "--store",
                "file://" + dir.resolve("store"));
        assertThat(valid.code()).as(valid.out()).isZero();
        assertThat(valid.out()).contains("signature: valid").contains("tombstone(s) match").contains("evidence")
                .contains("tombstones cover all 3 forgotten record digest(s)")
                .contains("isolation: TenantNamespace (workers ran in namespace team-a, where the tenant could have "
                        + "influenced the run)")
                .endsWith("VALID\n");
        assertThat(valid.out()).contains("memberships: NOT CHECKED");
        Path idKey = Files.write(dir.resolve("id-key"), EngineFixtures.ID_KEY.bytes());
        Outcome withKey = verify(certificate, "--store", "file://" + dir.resolve("store"), "--id-key", idKey.toString());
        assertThat(withKey.code()).as(withKey.out()).isZero();
        assertThat(withKey.out()).contains("slice membership(s) of the affected shards hold none of the version's 3 "
                + "tombstoned record(s)");
        assertThat(verify(certificate, "--require-isolation", "TenantNamespace").code()).isZero();
        Outcome platformRequired = verify(certificate, "--require-isolation", "Platform");
        assertThat(platformRequired.code()).isEqualTo(6);
        assertThat(platformRequired.out()).contains("INVALID: the certificate was produced under isolation "
                + "TenantNamespace, and Platform is required");

        ErasureResult erased = new ErasureCertifier(repo, Clock.systemUTC())
                .erase(2, 1);
        ErasureRun run = new ErasureRun();
        run.setId("e1");
        Path erasure = sign(CertificateStatements.erasure(model, run, erased, repo.version(2).ensembleDigest(),
                Instant.now(), TENANT), operator);
        Outcome erasedValid = verify(erasure, "--store", "file://" + dir.resolve("store"));
        assertThat(erasedValid.code()).as(erasedValid.out()).isZero();
        assertThat(erasedValid.out()).contains("1 erased version(s)");
    }

    @Test
    void forgedAlteredForeignAndMisplacedCertificatesFail() throws Exception {
        KeyPair intruder = SigningKeys.generate();
        assertThat(verify(sign(unlearning(), intruder)).out()).contains("INVALID").contains("none of which");
        Path claimingOurKey = Files.write(dir.resolve("forged.json"), Dsse.sign(Dsse.IN_TOTO, unlearning(),
                SigningKeys.keyId(operator.getPublic()), intruder.getPrivate()).toJson());
        assertThat(verify(claimingOurKey).out()).contains("INVALID").contains("does not match");

        Path genuine = sign(unlearning(), operator);
        String json = Files.readString(genuine);
        Dsse.Envelope envelope = Dsse.Envelope.parse(json.getBytes(StandardCharsets.UTF_8));
        String altered = new String(envelope.payloadBytes(), StandardCharsets.UTF_8).replace("\"forgottenRecords\":3",
                "\"forgottenRecords\":30");
        Path tampered = Files.write(dir.resolve("tampered.json"), new Dsse.Envelope(envelope.payloadType(),
                java.util.Base64.getEncoder().encodeToString(altered.getBytes(StandardCharsets.UTF_8)),
                envelope.signatures()).toJson());
        assertThat(verify(tampered).out()).contains("INVALID").contains("does not match");

        Outcome elsewhere = verify(genuine, "--namespace", "team-b");
        assertThat(elsewhere.code()).isEqualTo(6);
        assertThat(elsewhere.out()).contains("about namespace team-a, not team-b");

        Files.delete(dir.resolve("store/models/team-a/fm/versions/2.json"));
        assertThat(verify(genuine, "--store", "file://" + dir.resolve("store")).out())
                .contains("INVALID: version 2 is not in the store");
    }

    @Test
    void aDataOwnerChecksTheirRecordAndEvidenceBeyondTheTombstonesFails() throws Exception {
        Path genuine = sign(unlearning(), operator);
        String store = "file://" + dir.resolve("store");
        Outcome mine = verify(genuine, "--store", store, "--record-digest", EngineFixtures.ID_KEY.record("train-40"));
        assertThat(mine.code()).as(mine.out()).isZero();
        assertThat(mine.out()).contains("tombstones cover all 3 forgotten record digest(s), including the 1 asked about");
        Outcome notMine = verify(genuine, "--store", store, "--record-digest", EngineFixtures.ID_KEY.record("train-41"));
        assertThat(notMine.code()).isEqualTo(6);
        assertThat(notMine.out()).contains("is not among the records this certificate says were forgotten");
        assertThat(verify(genuine, "--record-digest", "ab").out()).contains("INVALID").contains("pass --store");

        // Evidence claiming a record the version never tombstoned: the proof would overstate what was forgotten.
        byte[] overstated = evidence(repo.version(2), List.of("train-3", "train-40", "train-99"));
        repo.putCertificate("u1-exact", overstated);
        result = new FinalizeResult(result.run(), true, result.version(), result.versionBefore(), result.digestBefore(),
                result.digestAfter(), result.method(), result.affectedShards(), 3, 0, List.of(), Measurements.none(),
                Measurements.none(), result.certificateLocation(), Digests.sha256(overstated), Map.of(),
                result.tombstoneDigest());
        Outcome over = verify(sign(unlearning(), operator), "--store", store);
        assertThat(over.code()).isEqualTo(6);
        assertThat(over.out()).contains("tombstones lack 1 of the 3 record digest(s)");
    }

    /** The finalize pod's evidence: the forgotten records' keyed digests, sealed with the id-digest key. */
    private byte[] evidence(VersionManifest after, List<String> forgotten) {
        return Certificates.toJson(Certificates.sign(new Certificate("fm", List.of("uid-r1"), "EXACT",
                forgotten.size(), List.copyOf(EngineFixtures.ID_KEY.records(forgotten)), List.of(0), 1,
                after.version(), "before", after.ensembleDigest(), Map.of(), Map.of(), "2026-11-30T12:00:00Z", null),
                EngineFixtures.ID_KEY.bytes()));
    }

    private byte[] unlearning() {
        BatchRun run = new BatchRun();
        run.setId("u1");
        run.setRequests(List.of(new RunMember("r1", "uid-r1")));
        VerificationSpec gate = new VerificationSpec();
        gate.setMinTestAccuracy(0.5);
        return CertificateStatements.unlearning(model, run, result, gate, Instant.parse("2026-11-30T12:00:00Z"), TENANT);
    }

    private Path sign(byte[] statement, KeyPair key) throws Exception {
        return Files.write(Files.createTempFile(dir, "certificate", ".json"), Dsse.sign(Dsse.IN_TOTO, statement,
                SigningKeys.keyId(key.getPublic()), key.getPrivate()).toJson());
    }

    record Outcome(int code, String out) {
    }

    private Outcome verify(Path certificate, String... more) {
        VerifyCommand command = new VerifyCommand();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        command.out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        String[] args = new String[4 + more.length];
        args[0] = "--certificate";
        args[1] = certificate.toString();
        args[2] = "--public-keys";
        args[3] = keys.toString();
        System.arraycopy(more, 0, args, 4, more.length);
        int code = new CommandLine(command).execute(args);
        return new Outcome(code, bytes.toString(StandardCharsets.UTF_8));
    }
}
