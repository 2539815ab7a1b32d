package dev.unlearning.engine.unlearning;

import dev.unlearning.api.ShardPlacement;
import dev.unlearning.api.ShardedModelSpec;
import dev.unlearning.api.UnlearningMethod;
import dev.unlearning.api.worker.UnlearnShardResult;
import dev.unlearning.engine.data.Splits;
import dev.unlearning.engine.data.Tombstones;
import dev.unlearning.engine.data.TrainedOn;
import dev.unlearning.engine.data.TextDatasets;
import dev.unlearning.engine.lm.LanguageModel;
import dev.unlearning.engine.lm.LmArchitecture;
import dev.unlearning.engine.lm.LmUnlearning;
import dev.unlearning.engine.model.ModelState;
import dev.unlearning.engine.model.Network;
import dev.unlearning.engine.sharding.Placement;
import dev.unlearning.engine.sharding.PlacementRule;
import dev.unlearning.engine.sharding.ShardLayout;
import dev.unlearning.engine.training.Seeds;
import dev.unlearning.engine.training.ShardAccuracy;
import dev.unlearning.engine.training.ShardArtifacts;
import dev.unlearning.engine.training.ShardTrainer;
import dev.unlearning.store.CorruptArtifactException;
import dev.unlearning.store.ModelRepository;
import dev.unlearning.store.ShardEntry;
import dev.unlearning.store.SliceEntry;
import dev.unlearning.store.VersionManifest;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;

/**
 * Makes a published model version forget a set of records and publishes the next version. Only the shards
 * that hold forgotten records change; the others keep their blobs.
 */
public final class Unlearning {

    private final ModelRepository repo;
    private final ShardedModelSpec spec;
    private final ApproximateSettings settings;

    public Unlearning(ModelRepository repo, ShardedModelSpec spec, ApproximateSettings settings) {
        this.repo = repo;
        this.spec = spec;
        this.settings = settings;
    }

    /** Shards that hold any of the ids, from placement alone: no data or store access needed. */
    public static TreeSet<Integer> affectedShards(Iterable<String> recordIds, long seed, int shards, int slices) {
        TreeSet<Integer> affected = new TreeSet<>();
        for (String id : recordIds) {
            affected.add(Placement.of(id, seed, shards, slices).shard());
        }
        return affected;
    }

    /** Unlearns on every affected shard in this process and publishes the next version. */
    public UnlearningOutcome run(Splits splits, ForgetSet forget, UnlearningMethod method, List<String> requests)
            throws IOException, ModelState.CorruptModelException {
        UnlearningOutcome outcome = prepare(splits, forget, method, requests, null, null);
        repo.publish(outcome.after());
        return outcome;
    }

    /**
     * One pod of an Indexed Job: computes {@code shard}'s entry of the version after {@code baseVersion} and
     * stages it under {@code run} for {@link Finalization}, without publishing anything.
     */
    public UnlearnShardResult stageShard(Splits splits, ForgetSet forget, UnlearningMethod method,
            List<String> requests, String run, int shard, int baseVersion)
            throws IOException, ModelState.CorruptModelException {
        UnlearningOutcome outcome = prepare(splits, forget, method, requests, Set.of(shard), baseVersion);
        repo.stageUnlearnedShard(run, shard, outcome.after().shards().get(shard));
        return new UnlearnShardResult(run, shard, outcome.affectedShards().contains(shard),
                outcome.samplesProcessed(), outcome.wallSeconds());
    }

    /**
     * Computes the next version from {@code baseVersion} (default: the latest) and stores its blobs, without
     * publishing it. {@code onlyShards} limits the work to some shards, as one pod of an Indexed Job does;
     * the other shards keep their entries in the returned manifest.
     */
    public UnlearningOutcome prepare(Splits splits, ForgetSet forget, UnlearningMethod method, List<String> requests,
            Set<Integer> onlyShards, Integer baseVersion) throws IOException, ModelState.CorruptModelException {
        if (method == UnlearningMethod.AUTO) {
            throw new IllegalArgumentException("Auto is decided by the operator; the engine runs one concrete method");
        }
        if (forget.isEmpty()) {
            throw new EmptyForgetSetException(forget.unknown());
        }
        long started = System.nanoTime();
        VersionManifest before = baseVersion != null ? repo.version(baseVersion) : repo.latest().orElseThrow(() ->
                new CorruptArtifactException("model " + repo.model()
                        + " has no published version to unlearn from"));
        requireSameLayout(before);
        boolean languageModel = before.layout().architecture().getType().languageModel();
        if (!method.fits(languageModel)) {
            throw new IllegalArgumentException(method.specName() + (languageModel
                    ? " is a classifier method; a transformer-lm unlearns Exact, GradientDifference or NPO"
                    : " is a language-model method; a classifier cannot run it"));
        }
        if (before.layout().architecture().getType().exactOnly() && method != UnlearningMethod.EXACT) {
            throw new IllegalArgumentException(method.specName() + " does not apply to a knn model: it forgets "
                    + "Exact, by dropping the records from its index");
        }
        TrainedOn.requireSameData(before, splits.train(), splits.train().digest());
        Tombstones after = Tombstones.of(repo, before).withIds(forget.recordIds());
        // Every row the tombstones name, not just this request's: checkpoints an approximate method left must go too.
        Set<String> tombstoned = after.idsIn(splits.train());
        long seed = before.layout().seed();
        ShardLayout layout = ShardLayout.of(splits.train(), PlacementRule.of(before.layout(), repo.idKey()), tombstoned);

        List<ShardEntry> shards = new ArrayList<>(before.shards());
        List<Integer> affected = new ArrayList<>();
        List<Integer> fromSlices = new ArrayList<>();
        long samples = 0;
        int version = before.version() + 1;
        for (ShardEntry shard : before.shards()) {
            if (onlyShards != null && !onlyShards.contains(shard.shard())) {
                continue;
            }
            ShardWork work = method == UnlearningMethod.EXACT
                    ? exact(splits, layout, shard, tombstoned, version)
                    : languageModel ? approximateText(splits, layout, shard, forget, method, version)
                    : approximate(splits, layout, shard, forget, method, version);
            if (work != null) {
                shards.set(shard.shard(), ShardAccuracy.measured(repo, before.layout(), work.entry(), splits.test()));
                affected.add(shard.shard());
                fromSlices.add(work.fromSlice());
                samples += work.samples();
            }
        }
        VersionManifest next = new VersionManifest(repo.model(), version, before.version(), Instant.now().toString(),
                before.layout(), after.digests(), after.keyId(), List.copyOf(shards), "unlearn:" + method,
                List.copyOf(requests));
        return new UnlearningOutcome(before, next, forget, affected, fromSlices, samples,
                (System.nanoTime() - started) / 1e9);
    }

    /** Checkpoints only fit the layout they were trained with; a changed spec needs a new training first. */
    private void requireSameLayout(VersionManifest version) {
        var layout = version.layout();
        boolean same = layout.architecture().equals(spec.getArchitecture())
                && layout.shards() == spec.getSharding().getShards() && layout.slices() == spec.getSharding().getSlices()
                && layout.seed() == spec.getTraining().getSeed()
                && layout.effectivePlacement() == ShardPlacement.resolve(spec);
        if (!same) {
            throw new IllegalArgumentException("the model's architecture, sharding, placement or seed changed since version "
                    + version.version() + " (" + layout + "); train a new version before unlearning");
        }
    }

    private record ShardWork(ShardEntry entry, int fromSlice, long samples) {
    }

    /**
     * Retrains from the last checkpoint whose membership holds no tombstoned record. Checking membership
     * (not placement) also catches records an earlier approximate request only made the model forget.
     */
    private ShardWork exact(Splits splits, ShardLayout layout, ShardEntry shard, Set<String> tombstones, int version)
            throws IOException, ModelState.CorruptModelException {
        int firstDirty = -1;
        for (SliceEntry slice : shard.slices()) {
            if (ShardArtifacts.membership(repo, slice).stream().anyMatch(tombstones::contains)) {
                firstDirty = slice.slice();
                break;
            }
        }
        if (firstDirty < 0 && shard.exact()) {
            return null;
        }
        int from = firstDirty < 0 ? shard.slices().size() - 1 : firstDirty;
        byte[] resume = from == 0 ? null : repo.blob(shard.slices().get(from - 1).checkpointDigest());
        ShardTrainer trainer = new ShardTrainer(spec.getArchitecture(), spec.getTraining());
        List<ShardTrainer.SliceResult> trained = trainer.train(splits.train(), layout, shard.shard(), from, resume);
        ShardEntry entry = ShardArtifacts.store(repo, splits.train(), layout, shard.shard(),
                shard.slices().subList(0, from), trained, version, "Exact");
        return new ShardWork(entry, from, entry.samplesProcessed());
    }

    private ShardWork approximate(Splits splits, ShardLayout layout, ShardEntry shard, ForgetSet forget,
            UnlearningMethod method, int version) throws IOException, ModelState.CorruptModelException {
        int[] forgetRows = forgetRowsTrainedOn(splits, shard, forget);
        if (forgetRows.length == 0) {
            return null;
        }
        int[] retainRows = layout.upTo(shard.shard(), layout.slices() - 1);
        int[] holdout = lookAlikes(splits, forgetRows, Seeds.mix(spec.getTraining().getSeed(), shard.shard(), version));
        byte[] state = repo.blob(shard.modelDigest());
        ApproximateUnlearner unlearner = new ApproximateUnlearner(forget.labels().isEmpty() ? settings : settings.withoutRewind(),
                Seeds.mix(spec.getTraining().getSeed(), shard.shard(), version));
        ApproximateUnlearner.Result result;
        try (Network student = Network.fromState(spec.getArchitecture(), splits.train().inputShape(),
                splits.train().classes(), state)) {
            result = unlearner.unlearn(method, student, state,
                    new ApproximateUnlearner.Rows(splits.train(), forgetRows, retainRows, splits.test(), holdout));
        }
        String digest = repo.putBlob(result.state());
        ShardEntry entry = new ShardEntry(shard.shard(), layout.shardSize(shard.shard()), shard.slices(), digest,
                false, method.name(), version, result.samples(), shard.trainLoss(), null);
        return new ShardWork(entry, -1, result.samples());
    }

    /**
     * Gradient difference or NPO on a language-model shard: the forget texts it trained on against the rest of
     * the shard as retain texts, with the benchmark's settings. The slices keep their memberships: the shard is
     * marked inexact, so a later Exact request (or the exact follow-up) retrains it.
     */
    private ShardWork approximateText(Splits splits, ShardLayout layout, ShardEntry shard, ForgetSet forget,
            UnlearningMethod method, int version) throws IOException, ModelState.CorruptModelException {
        int[] forgetRows = forgetRowsTrainedOn(splits, shard, forget);
        if (forgetRows.length == 0) {
            return null;
        }
        int[] retainRows = layout.upTo(shard.shard(), layout.slices() - 1);
        LmUnlearning.Settings settings = LmUnlearning.Settings.defaults(method == UnlearningMethod.NPO
                ? LmUnlearning.Method.NPO : LmUnlearning.Method.GRADIENT_DIFFERENCE);
        if (retainRows.length == 0) {
            settings = settings.withoutRetain();
        }
        byte[] state;
        try (LanguageModel lm = LanguageModel.fromState(LmArchitecture.of(spec.getArchitecture()),
                repo.blob(shard.modelDigest()))) {
            new LmUnlearning().runOnSequences(lm, TextDatasets.sequences(splits.train(), forgetRows, 0, forgetRows.length),
                    TextDatasets.sequences(splits.train(), retainRows, 0, retainRows.length), settings,
                    Seeds.mix(spec.getTraining().getSeed(), shard.shard(), version));
            state = lm.state();
        }
        // Each epoch passes every forget text and as many retain texts; NPO also scores the forget texts once.
        long samples = (long) settings.epochs() * forgetRows.length * (retainRows.length == 0 ? 1 : 2)
                + (method == UnlearningMethod.NPO ? forgetRows.length : 0);
        ShardEntry entry = new ShardEntry(shard.shard(), layout.shardSize(shard.shard()), shard.slices(),
                repo.putBlob(state), false, method.name(), version, samples, shard.trainLoss(), null);
        return new ShardWork(entry, -1, samples);
    }

    /** The rows of the forget set this shard's checkpoints trained on, by membership. */
    private int[] forgetRowsTrainedOn(Splits splits, ShardEntry shard, ForgetSet forget) throws IOException {
        Set<String> members = ShardArtifacts.membership(repo, shard);
        return forget.recordIds().stream().filter(members::contains)
                .mapToInt(id -> splits.train().ids().rowOf(id)).toArray();
    }

    /** Test rows with the same label mix as the forget rows: unseen data "drawn like" the forget set. */
    private static int[] lookAlikes(Splits splits, int[] forgetRows, long seed) {
        var test = splits.test();
        if (test.size() == 0) {
            return new int[0];
        }
        Random random = new Random(seed);
        Map<Integer, int[]> byLabel = new HashMap<>();
        int[] picks = new int[Math.min(forgetRows.length, 1000)];
        for (int i = 0; i < picks.length; i++) {
            int label = splits.train().label(forgetRows[i]);
            int[] candidates = byLabel.computeIfAbsent(label,
                    l -> IntStream.range(0, test.size()).filter(r -> test.label(r) == l).toArray());
            picks[i] = candidates.length == 0 ? random.nextInt(test.size()) : candidates[random.nextInt(candidates.length)];
        }
        return picks;
    }

    /** The request resolved to no known record; nothing is published. */
    public static class EmptyForgetSetException extends IllegalArgumentException {
        public EmptyForgetSetException(List<String> unknown) {
            super("nothing to forget: no selector matched a training record"
                    + (unknown.isEmpty() ? "" : " (unknown: " + String.join(", ", unknown.subList(0, Math.min(10, unknown.size()))) + ")"));
        }
    }
}
