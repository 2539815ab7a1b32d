package dev.unlearning.store.attestation;

import java.util.List;
import java.util.Map;

/**
 * The store evidence of an unlearning run, which the operator's signed statement pins by digest. Record ids appear
 * only as keyed digests ({@link IdDigestKey#record}, the same form tombstones take), so it can be shown without
 * disclosing who asked to be forgotten, an auditor can check that the version's tombstones cover every one, and a
 * data owner who holds the key can check that their record is among them.
 */
public record Certificate(String model, List<String> requests, String method, int recordCount,
        List<String> hashedRecordIds, List<Integer> affectedShards, int versionBefore, int versionAfter,
        String digestBefore, String digestAfter, Map<String, Double> metricsBefore, Map<String, Double> metricsAfter,
        String issuedAt, String signature) {

    public Certificate withSignature(String newSignature) {
        return new Certificate(model, requests, method, recordCount, hashedRecordIds, affectedShards, versionBefore,
                versionAfter, digestBefore, digestAfter, metricsBefore, metricsAfter, issuedAt, newSignature);
    }
}
