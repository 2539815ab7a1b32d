package dev.unlearning.store.attestation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.unlearning.store.IdDigestKey;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CertificatesTest {

    static final byte[] KEY = "a-test-key-of-sufficient-length".getBytes(StandardCharsets.UTF_8);

    final Certificate unsigned = new Certificate("fashion", List.of("uid-1"), "EXACT", 2,
            List.copyOf(new IdDigestKey(KEY).records(List.of("train-1", "train-2"))), List.of(3), 4, 5, "d4", "d5",
            Map.of("testAccuracy", 0.85), Map.of("testAccuracy", 0.84), "2026-11-28T00:00:00Z", null);

    @Test
    void verifiesWithTheKeyAndFailsAfterTampering() {
        byte[] json = Certificates.toJson(Certificates.sign(unsigned, KEY));

        assertThat(Certificates.verify(json, KEY)).isTrue();
        assertThat(Certificates.verify(json, "another-key-of-sufficient-length".getBytes(StandardCharsets.UTF_8)))
                .isFalse();
        String text = new String(json, StandardCharsets.UTF_8);
        assertThat(Certificates.verify(text.replace("\"versionAfter\" : 5", "\"versionAfter\" : 6")
                .getBytes(StandardCharsets.UTF_8), KEY)).as("tampered version").isFalse();
        assertThat(Certificates.verify(text.replace("0.84", "0.94").getBytes(StandardCharsets.UTF_8), KEY))
                .as("tampered metric").isFalse();
        assertThat(Certificates.verify(Certificates.toJson(unsigned), KEY)).as("unsigned").isFalse();
    }

    @Test
    void neverContainsRawRecordIds() {
        String json = new String(Certificates.toJson(Certificates.sign(unsigned, KEY)), StandardCharsets.UTF_8);
        assertThat(json).doesNotContain("train-1").doesNotContain("train-2");
        assertThat(unsigned.hashedRecordIds()).hasSize(2).allMatch(h -> h.matches("[0-9a-f]{64}"));
    }
}
