package dev.unlearning.engine.unlearning;

import dev.unlearning.api.UnlearningMethod;
import dev.unlearning.api.VerificationSpec;
import dev.unlearning.api.worker.FinalizeResult;
import dev.unlearning.api.worker.GateFailure;
import dev.unlearning.api.worker.Measurements;
import dev.unlearning.api.Metric;
import dev.unlearning.engine.data.DataException;
import dev.unlearning.engine.data.Splits;
import dev.unlearning.engine.data.Tombstones;
import dev.unlearning.engine.evaluation.Backdoor;
import dev.unlearning.engine.evaluation.Ensemble;
import dev.unlearning.engine.evaluation.EvaluationReport;
import dev.unlearning.engine.evaluation.Evaluator;
import dev.unlearning.engine.evaluation.ShardScores;
import dev.unlearning.engine.evaluation.TextEvaluator;
import dev.unlearning.engine.lm.LmEnsemble;
import dev.unlearning.engine.model.ModelState;
import dev.unlearning.engine.training.ShardArtifacts;
import dev.unlearning.engine.verification.Gate;
import dev.unlearning.engine.verification.GateMeasurements;
import dev.unlearning.store.attestation.Certificate;
import dev.unlearning.store.attestation.Certificates;
import dev.unlearning.store.CorruptArtifactException;
import dev.unlearning.store.Digests;
import dev.unlearning.store.ModelRepository;
import dev.unlearning.store.ShardEntry;
import dev.unlearning.store.SliceEntry;
import dev.unlearning.store.VersionManifest;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.IntStream;

/**
 * The last step of an unlearning run: assembles the shards its pods staged into a candidate version,
 * measures it against the base version, applies the verification gate, and only then publishes the version
 * and a signed certificate. A candidate that fails the gate is never published.
 */
public final class Finalization {

    /**
     * What to finalize.
     *
     * @param run the staging run whose pods staged {@code shards}
     * @param baseVersion the version the run started from; it must still be the latest
     * @param requests how the version and certificate name the run's requests (see {@link ForgetRequests#ids})
     * @param thresholds the gate; an unset threshold is not checked
     * @param backdoors the triggers the requests' poisoned records carry: backdoorAsr is the highest attack
     *        success rate among them, and is not measured without one
     * @param evidenceId the name of the evidence in the store's certificates/: the run, and the model's uid where
     *        known, so that a model deleted and created again (whose run ids start over) never overwrites it
     */
    public record Run(String run, int baseVersion, UnlearningMethod method, List<Integer> shards,
            List<String> requests, VerificationSpec thresholds, List<Backdoor> backdoors, String evidenceId) {

        public Run(String run, int baseVersion, UnlearningMethod method, List<Integer> shards, List<String> requests,
                VerificationSpec thresholds, List<Backdoor> backdoors) {
            this(run, baseVersion, method, shards, requests, thresholds, backdoors, run);
        }
    }

    private final ModelRepository repo;

    /**
     * {@code repo} must hold the namespace's id-digest key: it digests the forgotten ids into the tombstones and the
     * evidence, and seals the evidence (a checksum; the proof is the operator's signed statement that pins it).
     */
    public Finalization(ModelRepository repo) {
        this.repo = repo;
    }

    /**
     * Verifies and, if the gate passes, publishes the run's candidate version with its certificate. A failed
     * gate is a result ({@code published} false, its {@code gateFailures} set), not an exception.
     */
    public FinalizeResult run(Splits splits, ForgetSet forget, Run run)
            throws IOException, ModelState.CorruptModelException {
        VersionManifest before = repo.version(run.baseVersion());
        List<Integer> versions = repo.versions();
        int latest = versions.get(versions.size() - 1);
        if (latest != run.baseVersion() && latest != run.baseVersion() + 1) {
            throw new ModelRepository.VersionConflictException(repo.model(), latest);
        }
        if (forget.isEmpty()) {
            throw new Unlearning.EmptyForgetSetException(forget.unknown());
        }
        requireEveryHoldingShardPlanned(before, forget, run);
        List<ShardEntry> entries = new ArrayList<>(before.shards());
        List<Integer> changed = new ArrayList<>();
        for (int shard : run.shards()) {
            ShardEntry staged = repo.stagedUnlearnedShard(run.run(), shard).orElseThrow(() ->
                    new CorruptArtifactException("run " + run.run() + " staged no result for shard " + shard
                            + "; nothing was published"));
            if (!staged.equals(before.shards().get(shard))) {
                changed.add(shard);
            }
            entries.set(shard, staged);
        }
        Tombstones tombstones = Tombstones.of(repo, before).withIds(forget.recordIds());
        VersionManifest candidate = new VersionManifest(repo.model(), run.baseVersion() + 1, run.baseVersion(),
                Instant.now().toString(), before.layout(), tombstones.digests(), tombstones.keyId(), entries,
                "unlearn:" + run.method(), run.requests());
        // A retried pod whose first attempt published and died before its evidence or its result: the version is
        // this run's, so finish the run (measure, evidence, result) instead of failing on a conflict until the
        // retries run out, which would leave the model's status a version behind its store for good.
        boolean publishedBefore = latest == run.baseVersion() + 1;
        if (publishedBefore) {
            VersionManifest existing = repo.version(latest);
            if (!isSameVersion(existing, candidate)) {
                throw new ModelRepository.VersionConflictException(repo.model(), latest);
            }
            candidate = existing;
        }

        if (run.method() == UnlearningMethod.EXACT) {
            requireExactShardsFree(candidate, run);
        }

        // The candidate shares every shard but the changed ones with the base: those are scored once for both.
        ShardScores scores = new ShardScores();
        Measurements metricsBefore = measure(before, splits, forget, run.backdoors(), scores);
        Measurements metricsAfter = GateMeasurements.withDrop(metricsBefore,
                measure(candidate, splits, forget, run.backdoors(), scores), !forget.labels().isEmpty());
        List<GateFailure> failures = Gate.failures(run.thresholds(), metricsBefore, metricsAfter,
                run.method() == UnlearningMethod.EXACT);
        if (!failures.isEmpty()) {
            return new FinalizeResult(run.run(), false, null, run.baseVersion(), before.ensembleDigest(),
                    candidate.ensembleDigest(), run.method(), changed, forget.recordIds().size(),
                    forget.unknown().size(), failures, metricsBefore, metricsAfter, null, null,
                    shardTestAccuracy(candidate, changed), null);
        }
        if (!publishedBefore) {
            repo.publish(candidate);
        }
        Certificate certificate = Certificates.sign(new Certificate(repo.model(), run.requests(), run.method().name(),
                forget.recordIds().size(), List.copyOf(repo.idKey().records(forget.recordIds())), changed,
                run.baseVersion(), candidate.version(), before.ensembleDigest(), candidate.ensembleDigest(),
                metricsBefore.byKey(), metricsAfter.byKey(), Instant.now().toString(), null), repo.idKey().bytes());
        byte[] certificateJson = Certificates.toJson(certificate);
        String certificateId = run.evidenceId();
        repo.putCertificate(certificateId, certificateJson);
        return new FinalizeResult(run.run(), true, candidate.version(), run.baseVersion(), before.ensembleDigest(),
                candidate.ensembleDigest(), run.method(), changed, forget.recordIds().size(), forget.unknown().size(),
                List.of(), metricsBefore, metricsAfter, repo.certificateLocation(certificateId),
                Digests.sha256(certificateJson), shardTestAccuracy(candidate, changed),
                VersionManifest.tombstoneDigest(candidate.tombstones()));
    }

    /** Whether two manifests are the same version but for when they were written. */
    private static boolean isSameVersion(VersionManifest a, VersionManifest b) {
        return a.version() == b.version() && Objects.equals(a.parentVersion(), b.parentVersion())
                && a.layout().equals(b.layout()) && a.shards().equals(b.shards()) && a.cause().equals(b.cause())
                && a.requests().equals(b.requests())
                && new HashSet<>(a.tombstones()).equals(new HashSet<>(b.tombstones()))
                && Objects.equals(a.tombstoneKey(), b.tombstoneKey());
    }

    /**
     * The operator plans a run's shards from ids and placement alone, without the data; here, with the data's
     * memberships, a shard left out that still trained on a forgotten record fails the run, so a wrong plan
     * (a stale placement, a bug) can never publish a version that keeps the data.
     */
    private void requireEveryHoldingShardPlanned(VersionManifest before, ForgetSet forget, Run run)
            throws IOException {
        Set<Integer> planned = new HashSet<>(run.shards());
        List<Integer> missed = new ArrayList<>();
        for (ShardEntry entry : before.shards()) {
            if (!planned.contains(entry.shard())
                    && ShardArtifacts.membership(repo, entry).stream().anyMatch(forget.recordIds()::contains)) {
                missed.add(entry.shard());
            }
        }
        if (!missed.isEmpty()) {
            throw new PlanMissesShardsException(missed, run.shards());
        }
    }

    /**
     * What "Exact" promises, checked on what is about to be published rather than taken from the unlearn pods: every
     * slice of every shard the run retrained lists none of the version's tombstoned records (memberships list raw
     * ids, tombstones their keyed digests).
     */
    private void requireExactShardsFree(VersionManifest candidate, Run run) throws IOException {
        Set<String> tombstoned = new HashSet<>(candidate.tombstones());
        for (int shard : run.shards()) {
            ShardEntry entry = candidate.shards().get(shard);
            for (SliceEntry slice : entry.slices()) {
                long held = repo.idKey().records(ShardArtifacts.membership(repo, slice)).stream()
                        .filter(tombstoned::contains).count();
                if (held > 0) {
                    throw new CorruptArtifactException("shard " + shard + " slice " + slice.slice() + " of the exact "
                            + "candidate was trained on " + held + " tombstoned record(s): an exact version holds "
                            + "none; nothing was published");
                }
            }
        }
    }

    /** A run whose plan left out shards that hold forgotten records; nothing is published. */
    public static class PlanMissesShardsException extends DataException {
        public PlanMissesShardsException(List<Integer> missed, List<Integer> planned) {
            super("shards " + missed + " trained on records this run forgets but were not planned (planned: " + planned
                    + "); nothing was published");
        }
    }

    /** The metrics of one version; one that cannot be measured here (no canaries, no class request) is absent. */
    private Measurements measure(VersionManifest version, Splits splits, ForgetSet forget, List<Backdoor> backdoors,
            ShardScores scores) throws IOException, ModelState.CorruptModelException {
        Set<String> excluded = new HashSet<>(Tombstones.of(repo, version).idsIn(splits.train()));
        excluded.addAll(forget.recordIds());
        int[] retain = IntStream.range(0, splits.train().size())
                .filter(r -> !excluded.contains(splits.train().id(r))).toArray();
        if (version.layout().architecture().getType().languageModel()) {
            try (LmEnsemble lm = TextEvaluator.load(repo, version)) {
                return GateMeasurements.of(new TextEvaluator(version.layout().seed()).evaluate(version.version(),
                        version.ensembleDigest(), lm, splits, forget.rows(splits.train()), retain));
            }
        }
        try (Ensemble ensemble = Ensemble.load(repo, version, scores)) {
            EvaluationReport r = new Evaluator(version.layout().seed()).evaluate(version.version(),
                    version.ensembleDigest(), ensemble, splits, forget.rows(splits.train()), retain, null,
                    forget.labels());
            return withBackdoors(GateMeasurements.of(r), ensemble, splits, backdoors);
        }
    }

    /**
     * The highest attack success rate among the run's triggers, and the highest excess over the untriggered rate
     * with its allowance. Absent (not measured) without a trigger or held-out images, so a backdoor gate fails
     * closed.
     */
    private static Measurements withBackdoors(Measurements measured, Ensemble ensemble, Splits splits,
            List<Backdoor> backdoors) {
        Backdoor.Excess highest = null;
        Double highestAsr = null;
        for (Backdoor backdoor : backdoors) {
            Optional<Backdoor.Excess> excess = backdoor.excess(ensemble, splits.test());
            if (excess.isEmpty()) {
                highest = null;
                highestAsr = null;
                break;
            }
            Backdoor.Excess e = excess.get();
            highestAsr = highestAsr == null ? e.attackSuccessRate() : Math.max(highestAsr, e.attackSuccessRate());
            highest = highest == null || e.excess() > highest.excess() ? e : highest;
        }
        return measured.with(Metric.BACKDOOR_ASR, highestAsr)
                .with(Metric.BACKDOOR_ASR_EXCESS, highest == null ? null : highest.excess())
                .with(Metric.BACKDOOR_ASR_EXCESS_NOISE, highest == null ? null : highest.noise());
    }

    private static Map<Integer, Double> shardTestAccuracy(VersionManifest version, List<Integer> shards) {
        Map<Integer, Double> accuracy = new TreeMap<>();
        for (int shard : shards) {
            Double a = version.shards().get(shard).testAccuracy();
            if (a != null) {
                accuracy.put(shard, a);
            }
        }
        return accuracy;
    }
}
