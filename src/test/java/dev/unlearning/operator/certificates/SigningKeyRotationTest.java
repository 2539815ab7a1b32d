package dev.unlearning.operator.certificates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.unlearning.api.CertificateReference;
import dev.unlearning.api.ErasureRun;
import dev.unlearning.api.ShardedModel;
import dev.unlearning.api.worker.ErasureResult;
import dev.unlearning.cli.RevokeSigningKeyCommand;
import dev.unlearning.cli.RotateSigningKeyCommand;
import dev.unlearning.cli.VerifyCommand;
import dev.unlearning.store.attestation.Attestations;
import dev.unlearning.store.attestation.Dsse;
import dev.unlearning.store.attestation.SigningKeys;
import dev.unlearning.store.attestation.TrustedKeys;
import dev.unlearning.testcluster.TestControlPlane;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The signing key's life on a real API server: certificates issued before and after a rotation both verify against
 * the keys the operator publishes in its own namespace, the retired private key is gone from the Secret, and the
 * operator signs with the new key once its cached copy expires, without a restart. A revoked key fails every
 * certificate that says it was signed from the revocation on; a key added anywhere else is not trusted; an edit of
 * the published keys is undone.
 */
class SigningKeyRotationTest {

    KubernetesClient client;
    String operatorNs;
    String tenantNs;
    MutableClock clock;
    CertificateIssuer issuer;
    TrustedKeysPublisher publisher;
    ShardedModel model;

    @BeforeEach
    void operatorWithKeys() {
        TestControlPlane plane = TestControlPlane.get();
        client = plane.client();
        operatorNs = plane.newNamespace("operator");
        tenantNs = plane.newNamespace("tenant");
        // Starts at the real time: the rotate and revoke commands date what they do by the real clock, as in a cluster.
        clock = new MutableClock(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        CertificateKeys keys = new CertificateKeys(client, operatorNs, "unlearning-signing-keys", clock);
        publisher = new TrustedKeysPublisher(client, keys, operatorNs, clock);
        issuer = new CertificateIssuer(client, keys, publisher, operatorNs, clock);
        model = new ShardedModel();
        model.setMetadata(new ObjectMetaBuilder().withName("fm").withNamespace(tenantNs).withUid("uid-fm").build());
    }

    @Test
    void certificatesFromBeforeAndAfterARotationBothVerify() {
        assertThat(rotate()).as("nothing to rotate before the first certificate").isEqualTo(1);
        CertificateReference before = issue("e1");
        Map<String, String> secretBefore = client.secrets().inNamespace(operatorNs).withName("unlearning-signing-keys")
                .get().getData();

        assertThat(rotate()).isZero();
        Map<String, String> secretAfter = client.secrets().inNamespace(operatorNs).withName("unlearning-signing-keys")
                .get().getData();
        assertThat(secretAfter).as("the retired private key is deleted, its public key kept")
                .doesNotContainKey(before.getKeyId() + ".key").containsKey(before.getKeyId() + ".pub");
        assertThat(secretAfter.get("active")).isNotEqualTo(secretBefore.get("active"));

        assertThat(issue("e2").getKeyId()).as("the cached key is used until it expires").isEqualTo(before.getKeyId());
        clock.advance(CertificateKeys.RELOAD_AFTER.plusSeconds(1));
        CertificateReference after = issue("e3");
        assertThat(after.getKeyId()).isNotEqualTo(before.getKeyId());

        Map<String, PublicKey> published = trusted().publicKeys();
        assertThat(published).containsOnlyKeys(before.getKeyId(), after.getKeyId());
        assertThat(trusted().key(before.getKeyId()).orElseThrow().retiredAt()).as("retired at the rotation")
                .isNotNull();
        assertThat(client.configMaps().inNamespace(tenantNs).withName("unlearning-certificate-keys").get())
                .as("nothing about keys in the tenant's namespace").isNull();
        for (CertificateReference reference : List.of(before, after)) {
            assertThat(Attestations.parse(Dsse.verify(envelope(reference), published)).predicate().namespace())
                    .isEqualTo(tenantNs);
        }
        assertThatThrownBy(() -> Dsse.verify(envelope(before), Map.of(after.getKeyId(), published.get(after.getKeyId()))))
                .as("an old certificate needs its own, retired public key").isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aRevokedKeyFailsWhatItSignedFromTheRevocationOnAndAnyOtherKeyIsNotTrusted() throws Exception {
        CertificateReference early = issue("e1");
        clock.advance(Duration.ofHours(1));
        CertificateReference late = issue("e2");
        assertThat(audit(early)).contains("VALID");
        assertThat(audit(late)).contains("VALID");

        // Compromised half an hour after the first certificate: what it signed before stays valid.
        Instant leaked = clock.instant().minus(Duration.ofMinutes(30));
        assertThat(new CommandLine(new RevokeSigningKeyCommand(client)).execute("--namespace", operatorNs, "--key",
                early.getKeyId(), "--from", leaked.toString())).isZero();
        clock.advance(CertificateKeys.RELOAD_AFTER.plusSeconds(1));
        publisher.publish();
        assertThat(trusted().key(early.getKeyId()).orElseThrow().revokedAt()).isEqualTo(leaked.toString());
        assertThat(audit(early)).as("signed before the revocation").contains("VALID").doesNotContain("INVALID");
        assertThat(audit(late)).contains("INVALID: key " + late.getKeyId() + " was revoked at " + leaked);
        CertificateReference fresh = issue("e3");
        assertThat(fresh.getKeyId()).as("the revoked active key was rotated out").isNotEqualTo(early.getKeyId());
        assertThat(audit(fresh)).contains("VALID").doesNotContain("INVALID");

        // A tenant signs with a key of its own and adds it to a ConfigMap it can write: the auditor's keys come from
        // the operator's namespace, and do not include it.
        KeyPair tenantKey = SigningKeys.generate();
        String tenantId = SigningKeys.keyId(tenantKey.getPublic());
        byte[] forged = Dsse.sign(Dsse.IN_TOTO, Dsse.Envelope.parse(envelope(fresh).toJson()).payloadBytes(), tenantId,
                tenantKey.getPrivate()).toJson();
        client.configMaps().inNamespace(tenantNs).resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
                .withNewMetadata().withName("unlearning-certificate-keys").endMetadata()
                .addToData(tenantId + ".pub", SigningKeys.publicPem(tenantKey.getPublic())).build()).create();
        assertThat(audit(forged)).contains("INVALID: signed with key(s) [" + tenantId + "]");
    }

    @Test
    void anEditOfThePublishedKeysIsUndone() {
        issue("e1");
        String published = client.configMaps().inNamespace(operatorNs).withName(TrustedKeys.CONFIGMAP).get().getData()
                .get(TrustedKeys.FILE);
        KeyPair added = SigningKeys.generate();
        client.configMaps().inNamespace(operatorNs).withName(TrustedKeys.CONFIGMAP).edit(cm -> {
            cm.getData().put(TrustedKeys.PEM_FILE, SigningKeys.publicPem(added.getPublic()));
            return cm;
        });
        publisher.publishIfDue();
        assertThat(client.configMaps().inNamespace(operatorNs).withName(TrustedKeys.CONFIGMAP).get().getData()
                .get(TrustedKeys.PEM_FILE)).as("not yet due").contains(SigningKeys.publicPem(added.getPublic()));
        clock.advance(TrustedKeysPublisher.CHECK_EVERY.plusSeconds(1));
        publisher.publishIfDue();
        Map<String, String> repaired = client.configMaps().inNamespace(operatorNs).withName(TrustedKeys.CONFIGMAP).get()
                .getData();
        assertThat(repaired.get(TrustedKeys.PEM_FILE)).doesNotContain(SigningKeys.publicPem(added.getPublic()));
        assertThat(repaired.get(TrustedKeys.FILE)).isEqualTo(published);
    }

    private TrustedKeys trusted() {
        return TrustedKeys.parse(client.configMaps().inNamespace(operatorNs).withName(TrustedKeys.CONFIGMAP).get()
                .getData().get(TrustedKeys.FILE));
    }

    /** verify, as the README has an auditor run it, with the bundle from the operator's namespace. */
    private String audit(CertificateReference reference) throws Exception {
        return audit(envelope(reference).toJson());
    }

    private String audit(byte[] envelope) throws Exception {
        Path dir = Files.createTempDirectory("audit");
        Path certificate = Files.write(dir.resolve("certificate.json"), envelope);
        Path keys = Files.writeString(dir.resolve("keys.json"), client.configMaps().inNamespace(operatorNs)
                .withName(TrustedKeys.CONFIGMAP).get().getData().get(TrustedKeys.FILE));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream previous = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            new CommandLine(new VerifyCommand()).execute("--certificate", certificate.toString(), "--trusted-keys",
                    keys.toString(), "--namespace", tenantNs);
        } finally {
            System.setOut(previous);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private int rotate() {
        return new CommandLine(new RotateSigningKeyCommand(client)).execute("--namespace", operatorNs);
    }

    private CertificateReference issue(String id) {
        ErasureRun run = new ErasureRun();
        run.setId(id);
        return issuer.erasure(model, run, new ErasureResult("fm", 2, List.of(2), List.of(1), 3, List.of("aa", "bb",
                "cc"), 0, 0, "models/" + tenantNs + "/fm/certificates/" + id + ".json", "evidence-" + id), "served-digest");
    }

    private Dsse.Envelope envelope(CertificateReference reference) {
        String json = client.configMaps().inNamespace(tenantNs).withName(reference.getLocation()
                .replaceFirst("^configmap/", "")).get().getData().get(CertificateIssuer.CERTIFICATE_FILE);
        return Dsse.Envelope.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    /** A clock the test moves: the key cache expires by the clock, not by waiting. */
    static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant start) {
            this.now = start;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
