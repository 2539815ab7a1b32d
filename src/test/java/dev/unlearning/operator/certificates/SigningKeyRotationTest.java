package dev.unlearning.operator.certificates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.unlearning.api.CertificateReference;
import dev.unlearning.api.ErasureRun;
import dev.unlearning.api.ShardedModel;
import dev.unlearning.api.worker.ErasureResult;
import dev.unlearning.cli.RotateSigningKeyCommand;
import dev.unlearning.store.attestation.Attestations;
import dev.unlearning.store.attestation.Dsse;
import dev.unlearning.store.attestation.SigningKeys;
import dev.unlearning.testcluster.TestControlPlane;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
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
 * Rotating the signing key on a real API server: certificates issued before and after both verify against the
 * keys the operator publishes, the retired private key is gone from the Secret, and the operator signs with the
 * new key once its cached copy expires — without a restart.
 */
class SigningKeyRotationTest {

    KubernetesClient client;
    String operatorNs;
    String tenantNs;
    MutableClock clock;
    CertificateIssuer issuer;
    ShardedModel model;

    @BeforeEach
    void operatorWithKeys() {
        TestControlPlane plane = TestControlPlane.get();
        client = plane.client();
        operatorNs = plane.newNamespace("operator");
        tenantNs = plane.newNamespace("tenant");
        clock = new MutableClock(Instant.parse("2026-11-30T12:00:00Z"));
        issuer = new CertificateIssuer(client, new CertificateKeys(client, operatorNs, "unlearning-signing-keys", clock),
                clock);
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

        Map<String, PublicKey> published = SigningKeys.parseAllPublic(String.join("", client.configMaps()
                .inNamespace(tenantNs).withName(CertificateIssuer.KEYS_CONFIGMAP).get().getData().values()));
        assertThat(published).containsOnlyKeys(before.getKeyId(), after.getKeyId());
        for (CertificateReference reference : List.of(before, after)) {
            assertThat(Attestations.parse(Dsse.verify(envelope(reference), published)).predicate().namespace())
                    .isEqualTo(tenantNs);
        }
        assertThatThrownBy(() -> Dsse.verify(envelope(before), Map.of(after.getKeyId(), published.get(after.getKeyId()))))
                .as("an old certificate needs its own, retired public key").isInstanceOf(IllegalArgumentException.class);
    }

    private int rotate() {
        return new CommandLine(new RotateSigningKeyCommand(client)).execute("--namespace", operatorNs);
    }

    private CertificateReference issue(String id) {
        ErasureRun run = new ErasureRun();
        run.setId(id);
        return issuer.erasure(model, run, new ErasureResult("fm", 2, List.of(2), List.of(1), 3, List.of("aa", "bb",
                "cc"), 0, "models/" + tenantNs + "/fm/certificates/" + id + ".json", "evidence-" + id), "served-digest");
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
