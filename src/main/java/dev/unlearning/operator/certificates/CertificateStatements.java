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
import dev.unlearning.store.attestation.Attestations;
import dev.unlearning.store.attestation.ErasurePredicate;
import dev.unlearning.store.attestation.Provenance;
import dev.unlearning.store.attestation.Evidence;
import dev.unlearning.store.attestation.UnlearningPredicate;
import java.time.Instant;
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
            Instant issuedAt, Provenance provenance) {
        Map<String, Double> thresholds = new TreeMap<>();
        for (Threshold threshold : Threshold.values()) {
            Double limit = gate == null ? null : threshold.limit(gate);
            if (limit != null) {
                thresholds.put(threshold.key(), limit);
            }
        }
        var meta = model.getMetadata();
        UnlearningPredicate predicate = new UnlearningPredicate(meta.getNamespace(), meta.getName(),
                String.valueOf(meta.getUid()), Labels.OPERATOR, issuedAt.toString(), run.getId(),
                run.getRequests().stream().map(CertificateStatements::member).toList(), result.method().name(),
                result.affectedShards(), result.forgotten(), result.unknown(),
                new UnlearningPredicate.VersionRef(result.versionBefore(), result.digestBefore()),
                new UnlearningPredicate.VersionRef(result.version(), result.digestAfter()),
                String.valueOf(result.tombstoneDigest()), new UnlearningPredicate.Gate(thresholds,
                        result.metricsBefore().byKey(), result.metricsAfter().byKey()),
                evidence(result.certificateLocation(), result.certificateDigest()), provenance);
        return Attestations.statement(new Attestations.Subject(Attestations.subjectName(meta.getNamespace(),
                meta.getName(), result.version()), result.digestAfter()), predicate);
    }

    /** The statement of an erasure; its subject is the served version it erased around. */
    public static byte[] erasure(ShardedModel model, ErasureRun run, ErasureResult result, String servedDigest,
            Instant issuedAt, Provenance provenance) {
        var meta = model.getMetadata();
        List<String> blobs = result.erasedBlobDigests() == null ? List.of() : result.erasedBlobDigests();
        // A long list does not fit the termination message: then the evidence (signed here by digest) holds it
        // all, and the statement says so instead of passing a shortened list off as complete.
        ErasurePredicate predicate = new ErasurePredicate(meta.getNamespace(), meta.getName(),
                String.valueOf(meta.getUid()), Labels.OPERATOR, issuedAt.toString(), run.getId(),
                result.servedVersion(), result.keptVersions(), result.erasedVersions(), result.erasedBlobs(),
                blobs, blobs.size() == result.erasedBlobs(), result.erasedStagingFiles(), result.erasedCopies(),
                evidence(result.certificateLocation(), result.certificateDigest()), provenance);
        return Attestations.statement(new Attestations.Subject(Attestations.subjectName(meta.getNamespace(),
                meta.getName(), result.servedVersion()), String.valueOf(servedDigest)), predicate);
    }

    private static Evidence evidence(String location, String digest) {
        return new Evidence(String.valueOf(location), String.valueOf(digest));
    }

    private static UnlearningPredicate.Member member(RunMember member) {
        return new UnlearningPredicate.Member(member.getName(), String.valueOf(member.getUid()));
    }
}
