package dev.unlearning.api.worker;

import dev.unlearning.api.UnlearningMethod;
import java.util.List;
import java.util.Map;

/**
 * Result of {@code finalize}: the published version and its certificate, or (exit code
 * {@link ExitCode#GATE_FAILED}) the thresholds the candidate missed. Raw record ids never appear here: the
 * result travels through pod status, which anyone who can read pods sees.
 *
 * @param certificateLocation the key in the model's store of the run's evidence (keyed id digests, metrics),
 *        which the operator's signed certificate names by digest
 * @param tombstoneDigest the published version's tombstone set (see {@code VersionManifest.tombstoneDigest})
 */
public record FinalizeResult(String run, boolean published, Integer version, int versionBefore, String digestBefore,
        String digestAfter, UnlearningMethod method, List<Integer> affectedShards, int forgotten, int unknown,
        List<GateFailure> gateFailures, Measurements metricsBefore, Measurements metricsAfter,
        String certificateLocation, String certificateDigest, Map<Integer, Double> shardTestAccuracy,
        String tombstoneDigest) implements WorkerResult {
}
