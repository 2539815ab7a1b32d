package dev.unlearning.store.attestation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** DSSE envelopes with Ed25519: only the holder of the private key can make one that verifies. */
class DsseTest {

    final KeyPair operator = SigningKeys.generate();
    final KeyPair other = SigningKeys.generate();
    static final ErasurePredicate PREDICATE = new ErasurePredicate("team-a", "fm", "uid-1", "unlearning-operator",
            "2026-12-07T10:00:00Z", "e1", 2, List.of(2), List.of(1), 3, List.of("b1", "b2", "b3"), true, 0, 0,
            new Evidence("fm/certificates/e1.json", "ev"),
            new Provenance(Provenance.TENANT_NAMESPACE, "unlearning-operator@unlearning-system", "team-a"));
    final byte[] statement = Attestations.statement(new Attestations.Subject("team-a/fm@v2", "abc"), PREDICATE);

    @Test
    void aSignedStatementVerifiesWithThePublicKeyAloneAfterAPemRoundTrip() {
        String id = SigningKeys.keyId(operator.getPublic());
        Dsse.Envelope envelope = Dsse.Envelope.parse(Dsse.sign(Dsse.IN_TOTO, statement, id, operator.getPrivate())
                .toJson());
        var keys = SigningKeys.parseAllPublic(SigningKeys.publicPem(other.getPublic())
                + SigningKeys.publicPem(operator.getPublic()));
        assertThat(keys).containsKey(id).hasSize(2);
        assertThat(Dsse.verify(envelope, keys)).isEqualTo(statement);
        assertThat(Attestations.parse(statement)).isEqualTo(new Attestations.Statement(
                new Attestations.Subject("team-a/fm@v2", "abc"), PREDICATE));
        assertThat(SigningKeys.parsePrivate(SigningKeys.privatePem(operator.getPrivate())).getEncoded())
                .isEqualTo(operator.getPrivate().getEncoded());
    }

    @Test
    void anAlteredPayloadAnotherKeyAndAnUnknownKeyIdAllFail() {
        String id = SigningKeys.keyId(operator.getPublic());
        Dsse.Envelope signed = Dsse.sign(Dsse.IN_TOTO, statement, id, operator.getPrivate());
        byte[] altered = new String(statement, StandardCharsets.UTF_8).replace("team-a", "team-b")
                .getBytes(StandardCharsets.UTF_8);
        Dsse.Envelope tampered = new Dsse.Envelope(signed.payloadType(), Base64.getEncoder().encodeToString(altered),
                signed.signatures());
        Map<String, java.security.PublicKey> trusted = Map.of(id, operator.getPublic());
        assertThatThrownBy(() -> Dsse.verify(tampered, trusted)).isInstanceOf(Dsse.InvalidSignatureException.class)
                .hasMessageContaining("does not match the payload");

        // Signed by another key that claims the operator's key id.
        Dsse.Envelope forged = Dsse.sign(Dsse.IN_TOTO, statement, id, other.getPrivate());
        assertThatThrownBy(() -> Dsse.verify(forged, trusted)).isInstanceOf(Dsse.InvalidSignatureException.class);

        Dsse.Envelope stranger = Dsse.sign(Dsse.IN_TOTO, statement, SigningKeys.keyId(other.getPublic()),
                other.getPrivate());
        assertThatThrownBy(() -> Dsse.verify(stranger, trusted)).hasMessageContaining("none of which is among");
        Dsse.Envelope retyped = new Dsse.Envelope("text/plain", signed.payload(), signed.signatures());
        assertThatThrownBy(() -> Dsse.verify(retyped, trusted)).as("the type is signed too")
                .isInstanceOf(Dsse.InvalidSignatureException.class);
        assertThatThrownBy(() -> Dsse.verify(new Dsse.Envelope(Dsse.IN_TOTO, signed.payload(), List.of()), trusted))
                .hasMessageContaining("no signature");
    }

    @Test
    void aStatementIsCanonicalAndReadsBackOnlyAsExactlyItsPredicateType() {
        String json = new String(statement, StandardCharsets.UTF_8);
        assertThat(json).startsWith("{\"_type\":\"https://in-toto.io/Statement/v1\",\"predicate\":{\"erasedBlobDigests\":")
                .contains("\"evidence\":{\"location\":\"fm/certificates/e1.json\",\"sha256\":\"ev\"},\"issuedAt\"")
                .doesNotContain(" ");
        assertThat(Attestations.statement(new Attestations.Subject("team-a/fm@v2", "abc"), PREDICATE))
                .as("the same facts give the same bytes").isEqualTo(statement);

        byte[] extra = json.replace("\"erasure\":\"e1\"", "\"erasure\":\"e1\",\"verified\":true")
                .getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> Attestations.parse(extra)).as("a field the type does not have")
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("verified");
        byte[] missing = json.replace(",\"servedVersion\":2", "").getBytes(StandardCharsets.UTF_8);
        assertThat(missing).isNotEqualTo(statement);
        assertThatThrownBy(() -> Attestations.parse(missing)).as("a field the type has, missing")
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("servedVersion");
        byte[] retyped = json.replace(Attestations.ERASURE, "https://example.com/other/v1")
                .getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> Attestations.parse(retyped)).hasMessageContaining("unknown predicate type");
        byte[] asUnlearning = json.replace(Attestations.ERASURE, Attestations.UNLEARNING)
                .getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> Attestations.parse(asUnlearning)).as("an erasure's facts are no unlearning's")
                .isInstanceOf(IllegalArgumentException.class);
    }
}
