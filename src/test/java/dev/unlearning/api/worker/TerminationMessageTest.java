package dev.unlearning.api.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.unlearning.api.Metric;
import dev.unlearning.api.Threshold;
import dev.unlearning.api.ShardPlacement;
import dev.unlearning.api.UnlearningMethod;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** What a worker writes, the operator reads back unchanged; what it cannot read, it says so. */
class TerminationMessageTest {

    static Measurements measurements(double base) {
        Map<Metric, Double> values = new EnumMap<>(Metric.class);
        for (Metric metric : Metric.values()) {
            values.put(metric, base + metric.ordinal() / 100.0);
        }
        return new Measurements(values);
    }

    static FinalizeResult finalizeResult(Map<Integer, Double> shardTestAccuracy) {
        return new FinalizeResult("run-1", true, 3, 2, "sha256-before", "sha256-after", UnlearningMethod.SCRUB,
                List.of(0, 4), 17, 2, List.of(new GateFailure(Threshold.MAX_MIA_AUC, 0.61, 0.55),
                        new GateFailure(Threshold.MAX_BACKDOOR_ASR, null, 0.1)),
                measurements(0.1), measurements(0.2), "models/m/certificates/run-1.json", "sha256-certificate",
                shardTestAccuracy, "sha256-tombstones");
    }

    /** Every record type, with every field set (no nulls, no empty lists). */
    static Stream<WorkerResult> everyResultType() {
        return Stream.of(
                new TrainingResult("m", 4, "train-run", List.of(new ShardSummary(0, 300, 900L, 0.42, 0.81, "d0"),
                        new ShardSummary(1, 301, 903L, 0.44, 0.8, "d1")), 12.5, "ensemble", "data",
                        ShardPlacement.BY_SUBJECT, Map.of("0123456789abcdef", 2)),
                new UnlearnResult("m", 1, 2, UnlearningMethod.EXACT, 3, List.of("train-99", "subject:bob"),
                        List.of(0, 1), List.of(1, 0), 5000L, 3.25, "before", "after"),
                new UnlearnShardResult("run-2", 3, true, 1234L, 0.75),
                finalizeResult(Map.of(0, 0.8, 4, 0.79)));
    }

    @ParameterizedTest
    @MethodSource("everyResultType")
    void everyResultTypeRoundTrips(WorkerResult result) throws Exception {
        String message = TerminationMessage.encodeToString(result);

        TerminationMessage.Decoded<? extends WorkerResult> decoded = TerminationMessage.decode(message, result.getClass());

        assertThat(decoded.result()).isEqualTo(result);
        assertThat(decoded.truncated()).isFalse();
    }

    @Test
    void anOversizedResultKeepsItsScalarsAndSaysItWasTruncated() throws Exception {
        Map<Integer, Double> accuracies = new TreeMap<>();
        IntStream.range(0, 5000).forEach(shard -> accuracies.put(shard, 0.8 + shard / 1e6));
        FinalizeResult big = finalizeResult(accuracies);

        byte[] message = TerminationMessage.encode(big);

        assertThat(message.length).isLessThanOrEqualTo(TerminationMessage.LIMIT);
        TerminationMessage.Decoded<FinalizeResult> decoded =
                TerminationMessage.decode(new String(message, StandardCharsets.UTF_8), FinalizeResult.class);
        assertThat(decoded.truncated()).isTrue();
        FinalizeResult result = decoded.result();
        assertThat(result.run()).isEqualTo(big.run());
        assertThat(result.published()).isTrue();
        assertThat(result.version()).isEqualTo(3);
        assertThat(result.versionBefore()).isEqualTo(2);
        assertThat(result.digestBefore()).isEqualTo(big.digestBefore());
        assertThat(result.digestAfter()).isEqualTo(big.digestAfter());
        assertThat(result.certificateLocation()).isEqualTo(big.certificateLocation());
        assertThat(result.certificateDigest()).isEqualTo(big.certificateDigest());
        assertThat(result.forgotten()).isEqualTo(17);
        assertThat(result.unknown()).isEqualTo(2);
        assertThat(result.method()).isEqualTo(UnlearningMethod.SCRUB);
        assertThat(result.shardTestAccuracy()).as("the largest field goes first").isNull();
    }

    @Test
    void anUnknownFieldFailsNamingIt() {
        String message = TerminationMessage.encodeToString(new UnlearnShardResult("r", 0, false, 1L, 0.5))
                .replaceFirst("\\{", "{\"certificateKey\":\"models/m/certificates/x.json\",");

        assertThatThrownBy(() -> TerminationMessage.decode(message, UnlearnShardResult.class))
                .isInstanceOf(TerminationMessage.UnreadableResultException.class)
                .hasMessageContaining("certificateKey");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "\n", "Exception in thread \"main\" java.lang.OutOfMemoryError: Java heap space",
            "finalize: store error: version 3 of model m already exists", "[1, 2]", "\"text\""})
    void blankOrLogLinesAreUnreadable(String message) {
        assertThatThrownBy(() -> TerminationMessage.decode(message, FinalizeResult.class))
                .isInstanceOf(TerminationMessage.UnreadableResultException.class);
    }

    @Test
    void aNullMessageIsUnreadable() {
        assertThatThrownBy(() -> TerminationMessage.decode(null, FinalizeResult.class))
                .isInstanceOf(TerminationMessage.UnreadableResultException.class);
    }

    @Test
    void theFatalExitCodesAreInvalidInputDataErrorAndAFailedGate() {
        assertThat(ExitCode.fatalCodes()).containsExactly(2, 3, 5);
    }
}
