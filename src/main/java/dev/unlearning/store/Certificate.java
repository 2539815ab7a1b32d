package dev.unlearning.store;

import java.util.List;
import java.util.Map;

/**
 * Evidence that a model forgot what some requests asked. Record ids appear only as keyed hashes
 * (HMAC-SHA256 under the certificate key), so the certificate can be shown without disclosing who asked to
 * be forgotten, while the key holder can still check whether a given id is covered.
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
