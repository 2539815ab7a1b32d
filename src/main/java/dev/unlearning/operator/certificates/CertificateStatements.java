package dev.unlearning.operator.certificates;

import dev.unlearning.api.BatchRun;
import dev.unlearning.api.ErasureRun;
import dev.unlearning.api.RunMember;
import dev.unlearning.api.ShardedModel;
import dev.unlearning.api.VerificationSpec;
import dev.unlearning.api.worker.ErasureResult;
import dev.unlearning.api.worker.FinalizeResult;
import dev.unlearning.api.Threshold;
import dev.unlearning.operator.conventions.Labels;
import dev.unlearning.store.Attestations;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a certificate states, built only from what the operator knows (the model, the run, the gate it set) and
 * the typed result the worker reported; the bytes the operator signs. No raw record id is ever part of it.
 */
public final class CertificateStatements {

    private CertificateStatements() {
    }

    /** The statement of a published unlearning run; its subject is the new version. */
    public static byte[] unlearning(ShardedModel model, BatchRun run, FinalizeResult result, VerificationSpec gate,
            Instant issuedAt) {
        Map<String, Object> predicate = common(model, issuedAt);
        predicate.put("run", run.getId());
        predicate.put("requests", run.getRequests().stream().map(CertificateStatements::member).toList());
        predicate.put("method", result.method().name());
        predicate.put("affectedShards", result.affectedShards());
        predicate.put("forgottenRecords", result.forgotten());
        predicate.put("unknownRecords", result.unknown());
        predicate.put("versionBefore", Map.of("version", result.versionBefore(), "sha256", result.digestBefore()));
        predicate.put("versionAfter", Map.of("version", result.version(), "sha256", result.digestAfter()));
        predicate.put("tombstoneSetSha256", String.valueOf(result.tombstoneDigest()));
        Map<String, Object> thresholds = new TreeMap<>();
        for (Threshold threshold : Threshold.values()) {
            Double limit = gate == null ? null : threshold.limit(gate);
            if (limit != null) {
                thresholds.put(threshold.key(), limit);
            }
        }
        predicate.put("gate", Map.of("thresholds", thresholds, "measuredBefore", result.metricsBefore().byKey(),
                "measuredAfter", result.metricsAfter().byKey()));
        predicate.put("evidence", evidence(result.certificateLocation(), result.certificateDigest()));
        return Attestations.statement(Attestations.subjectName(model.getMetadata().getNamespace(),
                model.getMetadata().getName(), result.version()), result.digestAfter(), Attestations.UNLEARNING,
                predicate);
    }

    /** The statement of an erasure; its subject is the served version it erased around. */
    public static byte[] erasure(ShardedModel model, ErasureRun run, ErasureResult result, String servedDigest,
            Instant issuedAt) {
        Map<String, Object> predicate = common(model, issuedAt);
        predicate.put("erasure", run.getId());
        predicate.put("servedVersion", result.servedVersion());
        predicate.put("keptVersions", result.keptVersions());
        predicate.put("erasedVersions", result.erasedVersions());
        predicate.put("erasedBlobs", result.erasedBlobs());
        predicate.put("erasedBlobDigests", result.erasedBlobDigests() == null ? List.of() : result.erasedBlobDigests());
        predicate.put("erasedStagingFiles", result.erasedStagingFiles());
        predicate.put("evidence", evidence(result.certificateLocation(), result.certificateDigest()));
        return Attestations.statement(Attestations.subjectName(model.getMetadata().getNamespace(),
                model.getMetadata().getName(), result.servedVersion()), String.valueOf(servedDigest),
                Attestations.ERASURE, predicate);
    }

    private static Map<String, Object> common(ShardedModel model, Instant issuedAt) {
        Map<String, Object> predicate = new LinkedHashMap<>();
        predicate.put("namespace", model.getMetadata().getNamespace());
        predicate.put("model", model.getMetadata().getName());
        predicate.put("modelUid", String.valueOf(model.getMetadata().getUid()));
        predicate.put("issuer", Labels.OPERATOR);
        predicate.put("issuedAt", issuedAt.toString());
        return predicate;
    }

    private static Map<String, Object> evidence(String location, String digest) {
        Map<String, Object> evidence = new TreeMap<>();
        evidence.put("location", String.valueOf(location));
        evidence.put("sha256", String.valueOf(digest));
        return evidence;
    }

    private static Map<String, Object> member(RunMember member) {
        return Map.of("name", member.getName(), "uid", String.valueOf(member.getUid()));
    }
}
