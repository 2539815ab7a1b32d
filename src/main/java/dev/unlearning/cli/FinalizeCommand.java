package dev.unlearning.cli;

import dev.unlearning.api.ShardedModel;
import dev.unlearning.api.UnlearningMethod;
import dev.unlearning.api.UnlearningRequest;
import dev.unlearning.engine.TorchRuntime;
import dev.unlearning.engine.data.Splits;
import dev.unlearning.engine.evaluation.Ensemble;
import dev.unlearning.engine.evaluation.EvaluationReport;
import dev.unlearning.engine.evaluation.Evaluator;
import dev.unlearning.engine.unlearning.ForgetSet;
import dev.unlearning.store.Certificate;
import dev.unlearning.store.Certificates;
import dev.unlearning.store.CorruptArtifactException;
import dev.unlearning.store.Digests;
import dev.unlearning.store.ModelRepository;
import dev.unlearning.store.ShardEntry;
import dev.unlearning.store.VersionManifest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The last step of an unlearning run: assembles the shards its pods staged into a candidate version,
 * evaluates it against the previous one, applies the verification gate, and only then publishes the version
 * and a signed certificate. A candidate that fails the gate is never published (exit 5).
 */
@Command(name = "finalize", description = "Verify and publish the version an unlearning run staged.")
public class FinalizeCommand implements Callable<Integer> {

    @Option(names = "--model", required = true)
    Path model;

    @Option(names = "--request", required = true, description = "The run's UnlearningRequests (repeatable)")
    List<Path> requests;

    @Option(names = "--run", required = true)
    String run;

    @Option(names = "--base-version", required = true)
    int baseVersion;

    @Option(names = "--method", required = true)
    String method;

    @Option(names = "--shards", split = ",", required = true)
    List<Integer> shards;

    @Option(names = "--gate", description = "Threshold, e.g. maxForgetAccuracy=0.5 (repeatable): "
            + "maxForgetAccuracy, maxMiaAuc, minTestAccuracy, maxBackdoorAsr")
    Map<String, Double> gate = new LinkedHashMap<>();

    @Option(names = "--certificate-key-file", description = "File with the HMAC signing key (a mounted Secret); "
            + "default: $UNLEARNING_CERTIFICATE_KEY")
    Path certificateKeyFile;

    @Option(names = "--store")
    String store;

    @Option(names = "--output")
    Path output;

    /** What the operator learns from the run, via the termination message. */
    public record Result(String run, boolean published, Integer version, int versionBefore, String digestBefore,
            String digestAfter, UnlearningMethod method, List<Integer> affectedShards, int forgotten, int unknown,
            List<String> gateFailures, Map<String, Double> metricsBefore, Map<String, Double> metricsAfter,
            String certificateKey, String certificateDigest, Map<Integer, Double> shardTestAccuracy) {
    }

    @Override
    public Integer call() {
        return RoleIo.run("finalize", () -> {
            byte[] key = certificateKey();
            ShardedModel cr = RoleIo.readModel(model);
            UnlearningMethod chosen = UnlearnCommand.parse(method);
            List<UnlearningRequest> crs = new ArrayList<>();
            for (Path file : requests) {
                crs.add(RoleIo.readRequest(file));
            }
            ModelRepository repo = RoleIo.repository(cr, store);
            VersionManifest before = repo.version(baseVersion);
            int latest = repo.versions().get(repo.versions().size() - 1);
            if (latest != baseVersion) {
                throw new ModelRepository.VersionConflictException(repo.model(), latest);
            }
            TorchRuntime.engine();
            Splits splits = RoleIo.data(cr);
            ForgetSet forget = UnlearnCommand.union(crs, splits);
            if (forget.isEmpty()) {
                throw new IllegalArgumentException("nothing to forget: no selector matched a training record");
            }
            List<ShardEntry> entries = new ArrayList<>(before.shards());
            List<Integer> changed = new ArrayList<>();
            for (int shard : shards) {
                ShardEntry staged = repo.staging("unlearn-" + run, "shard-" + shard + ".json", ShardEntry.class)
                        .orElseThrow(() -> new CorruptArtifactException("run " + run + " staged no result for shard "
                                + shard + "; nothing was published"));
                if (!staged.equals(before.shards().get(shard))) {
                    changed.add(shard);
                }
                entries.set(shard, staged);
            }
            TreeSet<String> tombstones = new TreeSet<>(before.tombstones());
            tombstones.addAll(forget.recordIds());
            List<String> requestIds = crs.stream().map(r -> r.getMetadata().getUid() != null
                    ? r.getMetadata().getUid() : r.getMetadata().getName()).toList();
            VersionManifest candidate = new VersionManifest(repo.model(), baseVersion + 1, baseVersion,
                    Instant.now().toString(), before.layout(), List.copyOf(tombstones), entries, "unlearn:" + chosen,
                    requestIds);

            Map<String, Double> metricsBefore = metrics(repo, before, splits, forget);
            Map<String, Double> metricsAfter = metrics(repo, candidate, splits, forget);
            List<String> failures = Gate.failures(gate, metricsAfter);
            if (!failures.isEmpty()) {
                RoleIo.writeResult(output, new Result(run, false, null, baseVersion, before.ensembleDigest(),
                        candidate.ensembleDigest(), chosen, changed, forget.recordIds().size(), forget.unknown().size(),
                        failures, metricsBefore, metricsAfter, null, null, shardAccuracy(candidate, changed)));
                System.err.println("finalize: verification failed: " + String.join("; ", failures));
                return ExitCodes.GATE_FAILED;
            }
            repo.publish(candidate);
            Certificate certificate = Certificates.sign(new Certificate(repo.model(), requestIds, chosen.name(),
                    forget.recordIds().size(), Certificates.hashIds(forget.recordIds(), key), changed, baseVersion,
                    candidate.version(), before.ensembleDigest(), candidate.ensembleDigest(), metricsBefore,
                    metricsAfter, Instant.now().toString(), null), key);
            byte[] certificateJson = Certificates.toJson(certificate);
            String certificateId = run;
            repo.putCertificate(certificateId, certificateJson);
            RoleIo.writeResult(output, new Result(run, true, candidate.version(), baseVersion, before.ensembleDigest(),
                    candidate.ensembleDigest(), chosen, changed, forget.recordIds().size(), forget.unknown().size(),
                    List.of(), metricsBefore, metricsAfter, repo.certificateKey(certificateId),
                    Digests.sha256(certificateJson), shardAccuracy(candidate, changed)));
            return ExitCodes.OK;
        });
    }

    private static Map<Integer, Double> shardAccuracy(VersionManifest version, List<Integer> shards) {
        Map<Integer, Double> accuracy = new java.util.TreeMap<>();
        for (int shard : shards) {
            Double a = version.shards().get(shard).testAccuracy();
            if (a != null) {
                accuracy.put(shard, a);
            }
        }
        return accuracy;
    }

    private byte[] certificateKey() throws java.io.IOException {
        String key = certificateKeyFile != null
                ? java.nio.file.Files.readString(certificateKeyFile).strip()
                : System.getenv("UNLEARNING_CERTIFICATE_KEY");
        if (key == null || key.length() < 16) {
            throw new IllegalArgumentException("the certificate signing key (--certificate-key-file or "
                    + "UNLEARNING_CERTIFICATE_KEY) must have 16 or more characters");
        }
        return key.getBytes(StandardCharsets.UTF_8);
    }

    private static Map<String, Double> metrics(ModelRepository repo, VersionManifest version, Splits splits,
            ForgetSet forget) throws Exception {
        TreeSet<String> excluded = new TreeSet<>(version.tombstones());
        excluded.addAll(forget.recordIds());
        int[] retain = IntStream.range(0, splits.train().size())
                .filter(r -> !excluded.contains(splits.train().id(r))).toArray();
        try (Ensemble ensemble = Ensemble.load(repo, version)) {
            EvaluationReport r = new Evaluator(version.layout().seed()).evaluate(version.version(),
                    version.ensembleDigest(), ensemble, splits, forget.rows(splits.train()), retain, null, forget.labels());
            Map<String, Double> m = new LinkedHashMap<>();
            m.put("forgetAccuracy", r.forget().accuracy());
            m.put("retainAccuracy", r.retain().accuracy());
            m.put("testAccuracy", r.test().accuracy());
            m.put("miaAuc", r.miaLossAuc());
            if (r.forgottenClassTestAccuracy() != null) {
                m.put("forgottenClassTestAccuracy", r.forgottenClassTestAccuracy());
                m.put("otherClassesTestAccuracy", r.otherClassesTestAccuracy());
            }
            m.values().removeIf(java.util.Objects::isNull);
            return m;
        }
    }

    /** The verification gate: which thresholds a candidate's metrics miss. */
    static final class Gate {
        private Gate() {
        }

        static List<String> failures(Map<String, Double> thresholds, Map<String, Double> metrics) {
            List<String> failures = new ArrayList<>();
            for (var t : thresholds.entrySet()) {
                String metric = switch (t.getKey()) {
                    case "maxForgetAccuracy" -> "forgetAccuracy";
                    case "maxMiaAuc" -> "miaAuc";
                    case "minTestAccuracy" -> "testAccuracy";
                    case "maxBackdoorAsr" -> "backdoorAsr";
                    default -> throw new IllegalArgumentException("unknown threshold " + t.getKey());
                };
                Double value = metrics.get(metric);
                if (value == null) {
                    continue;
                }
                boolean ok = t.getKey().startsWith("max") ? value <= t.getValue() : value >= t.getValue();
                if (!ok) {
                    failures.add(String.format("%s %.4f %s %.4f", metric, value,
                            t.getKey().startsWith("max") ? ">" : "<", t.getValue()));
                }
            }
            return failures;
        }
    }
}
