package dev.unlearning.store.attestation;

import dev.unlearning.store.ModelRepository;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Dead Simple Signing Envelopes (the in-toto/Sigstore attestation envelope) with Ed25519. The signature covers
 * the pre-authentication encoding of the payload type and the payload's exact bytes, so a verifier checks bytes
 * before it parses anything and no JSON canonicalisation is trusted.
 */
public final class Dsse {

    /** The payload type of an in-toto Statement. */
    public static final String IN_TOTO = "application/vnd.in-toto+json";

    /** A signed envelope as it is stored and handed to auditors (base64 payload and signatures). */
    public record Envelope(String payloadType, String payload, List<EnvelopeSignature> signatures) {

        public byte[] payloadBytes() {
            return Base64.getDecoder().decode(payload);
        }

        public byte[] toJson() {
            try {
                return ModelRepository.JSON.writeValueAsBytes(this);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("an envelope always serialises", e);
            }
        }

        public static Envelope parse(byte[] json) {
            try {
                return ModelRepository.JSON.readValue(json, Envelope.class);
            } catch (java.io.IOException e) {
                throw new InvalidSignatureException("not a DSSE envelope: " + e.getMessage());
            }
        }
    }

    public record EnvelopeSignature(String keyid, String sig) {
    }

    /** Why an envelope does not verify; the message names what failed. */
    public static final class InvalidSignatureException extends IllegalArgumentException {
        public InvalidSignatureException(String message) {
            super(message);
        }
    }

    private Dsse() {
    }

    /** DSSE's pre-authentication encoding: what is actually signed. */
    static byte[] pae(String payloadType, byte[] payload) {
        byte[] type = payloadType.getBytes(StandardCharsets.UTF_8);
        byte[] head = ("DSSEv1 " + type.length + " " + payloadType + " " + payload.length + " ")
                .getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[head.length + payload.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(payload, 0, out, head.length, payload.length);
        return out;
    }

    public static Envelope sign(String payloadType, byte[] payload, String keyId, PrivateKey key) {
        try {
            Signature signer = Signature.getInstance("Ed25519");
            signer.initSign(key);
            signer.update(pae(payloadType, payload));
            return new Envelope(payloadType, Base64.getEncoder().encodeToString(payload),
                    List.of(new EnvelopeSignature(keyId, Base64.getEncoder().encodeToString(signer.sign()))));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed", e);
        }
    }

    /**
     * The payload, once a signature by one of {@code keys} (by key id) verifies over it.
     *
     * @throws InvalidSignatureException naming the key ids tried, when none verifies
     */
    public static byte[] verify(Envelope envelope, Map<String, PublicKey> keys) {
        if (envelope.signatures() == null || envelope.signatures().isEmpty()) {
            throw new InvalidSignatureException("the envelope has no signature");
        }
        byte[] payload;
        try {
            payload = envelope.payloadBytes();
        } catch (IllegalArgumentException e) {
            throw new InvalidSignatureException("the payload is not base64");
        }
        for (EnvelopeSignature signature : envelope.signatures()) {
            PublicKey key = keys.get(signature.keyid());
            if (key == null) {
                continue;
            }
            try {
                Signature verifier = Signature.getInstance("Ed25519");
                verifier.initVerify(key);
                verifier.update(pae(envelope.payloadType(), payload));
                if (verifier.verify(Base64.getDecoder().decode(signature.sig()))) {
                    return payload;
                }
                throw new InvalidSignatureException("the signature by key " + signature.keyid()
                        + " does not match the payload: the certificate was altered or signed by another key");
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                if (e instanceof InvalidSignatureException invalid) {
                    throw invalid;
                }
                throw new InvalidSignatureException("the signature by key " + signature.keyid() + " is malformed");
            }
        }
        throw new InvalidSignatureException("signed with key(s) " + envelope.signatures().stream()
                .map(EnvelopeSignature::keyid).toList() + ", none of which is among the given public keys "
                + keys.keySet());
    }
}
