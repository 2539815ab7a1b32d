package dev.unlearning.engine.training;

import dev.unlearning.api.ShardPlacement;
import dev.unlearning.api.ShardedModelSpec;
import dev.unlearning.engine.data.Dataset;
import dev.unlearning.engine.data.Tombstones;
import dev.unlearning.engine.data.TrainedOn;
import dev.unlearning.engine.model.ModelState;
import dev.unlearning.engine.sharding.PlacementRule;
import dev.unlearning.engine.sharding.ShardLayout;
import dev.unlearning.store.CorruptArtifactException;
import dev.unlearning.store.ModelLayout;
import dev.unlearning.store.ModelRepository;
import dev.unlearning.store.ShardEntry;
import dev.unlearning.store.VersionManifest;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jboss.logging.Logger;

/**
 * Full (re)training of a ShardedModel. Records tombstoned by earlier versions stay excluded even when the
 * data source still contains them: a full retrain must not bring forgotten data back.
 */
public final class ModelTraining {

    private static final Logger LOG = Logger.getLogger(ModelTraining.class);

    private final ModelRepository repo;
    private final ShardedModelSpec spec;
    private final Map<Dataset, String> digests = new IdentityHashMap<>();
    private final Map<Dataset, ModelLayout> layouts = new IdentityHashMap<>();
    private Dataset test;
    private Set<String> ledger = Set.of();

    public ModelTraining(ModelRepository repo, ShardedModelSpec spec) {
        this.repo = repo;
        this.spec = spec;
    }

    /** Also measure each trained shard on this held-out set. */
    public ModelTraining withTestSet(Dataset testSet) {
        this.test = testSet;
        return this;
    }

    /**
     * Also leave out and tombstone these records: what the dataset's ledger says was forgotten, possibly from
     * another model (see {@code LedgerForgets}).
     */
    public ModelTraining withLedger(Set<String> forgotten) {
        this.ledger = Set.copyOf(forgotten);
        return this;
    }

    /** The latest version's tombstones and the ledger's records: nothing a training may use. */
    public Tombstones tombstones() throws IOException {
        return Tombstones.of(repo, repo.latest()).withIds(ledger);
    }

    public ShardLayout layout(Dataset data) throws IOException {
        return layout(data, Set.of());
    }

    private ShardLayout layout(Dataset data, Set<String> excluded) throws IOException {
        Set<String> all = new TreeSet<>(tombstones().idsIn(data));
        all.addAll(excluded);
        return ShardLayout.of(data, placement(data), all);
    }

    /** Trains one shard from scratch and stores its blobs; the entry is not visible until published. */
    public ShardEntry trainShard(Dataset data, ShardLayout layout, int shard, int version) throws IOException {
        ShardTrainer trainer = new ShardTrainer(spec.getArchitecture(), spec.getTraining());
        try {
            ShardEntry entry = ShardArtifacts.store(repo, data, layout, shard, List.of(),
                    trainer.train(data, layout, shard, 0, null), version, "Train");
            return ShardAccuracy.measured(repo, layoutOf(data), entry, test);
        } catch (ModelState.CorruptModelException e) {
            throw new IllegalStateException("a fresh network cannot be corrupt", e);
        }
    }

    /**
     * Trains one shard, recording each finished slice step in {@code progress} and resuming after the steps
     * an earlier attempt of the same run recorded (a killed pod's retry); the result is the same either way.
     */
    public ShardEntry trainShard(Dataset data, ShardLayout layout, int shard, int version, TrainingProgress progress)
            throws IOException {
        ShardTrainer trainer = new ShardTrainer(spec.getArchitecture(), spec.getTraining());
        List<ShardTrainer.SliceResult> finished = new ArrayList<>(progress.finished(data, layout, shard));
        int from = finished.size();
        if (from > 0) {
            LOG.infof("shard %d: resuming after slice %d, recorded by an earlier attempt", shard, from - 1);
        }
        try {
            trainer.train(data, layout, shard, from, from == 0 ? null : finished.get(from - 1).checkpoint(), step -> {
                finished.add(step);
                progress.record(data, layout, shard, step);
            });
            ShardEntry entry = ShardArtifacts.store(repo, data, layout, shard, List.of(), finished, version, "Train");
            return ShardAccuracy.measured(repo, layoutOf(data), entry, test);
        } catch (ModelState.CorruptModelException e) {
            throw new CorruptArtifactException("shard " + shard + ": a recorded checkpoint does not load: "
                    + e.getMessage());
        }
    }

    /**
     * One pod of an Indexed Job: trains {@code shard} for the next version and stages it (with the layout)
     * under the training run {@code run}, resuming after the steps an earlier attempt of the run recorded.
     */
    public ShardEntry trainStagedShard(Dataset data, int shard, String run) throws IOException {
        requireTombstonesStillApply(data);
        Tombstones tombstones = tombstones();
        ShardLayout layout = ShardLayout.of(data, placement(data), tombstones.idsIn(data));
        int version = repo.latest().map(v -> v.version() + 1).orElse(1);
        ShardEntry entry = trainShard(data, layout, shard, version, new TrainingProgress(repo, run));
        repo.stageTrainingLayout(run, layoutOf(data));
        repo.stageTrainingTombstones(run, tombstones.digests());
        repo.stageTrainedShard(run, shard, entry);
        return entry;
    }

    /**
     * Publishes the next version from the shards the training run {@code run} staged; a missing shard
     * publishes nothing. Tombstones carry over from the latest version.
     */
    public VersionManifest publishStaged(String run) throws IOException {
        ModelLayout layout = repo.stagedTrainingLayout(run).orElseThrow(() ->
                new CorruptArtifactException("run " + run + " staged no shard"));
        List<ShardEntry> entries = new ArrayList<>();
        for (int shard = 0; shard < layout.shards(); shard++) {
            int missing = shard;
            entries.add(repo.stagedTrainedShard(run, shard).orElseThrow(() -> new CorruptArtifactException(
                    "run " + run + " has no result for shard " + missing + "; nothing was published")));
        }
        Optional<VersionManifest> previous = repo.latest();
        if (previous.isPresent() && isPublishOf(previous.get(), layout, entries)) {
            // A retried pod whose first attempt created the version and died before reporting it: the version is
            // this run's already, and a second one would only repeat it under a new number.
            return previous.get();
        }
        // What the shards left out (ledger records among them) stays tombstoned, with every earlier tombstone.
        Tombstones tombstones = Tombstones.of(repo, previous)
                .withDigests(repo.stagedTrainingTombstones(run).orElse(List.of()));
        VersionManifest manifest = new VersionManifest(repo.model(), previous.map(v -> v.version() + 1).orElse(1),
                previous.map(VersionManifest::version).orElse(null), Instant.now().toString(), layout,
                tombstones.digests(), tombstones.keyId(), entries, "train", List.of());
        repo.publish(manifest);
        return manifest;
    }

    /** Whether {@code version} is what publishing these staged shards made: same layout, same shards, from training. */
    private static boolean isPublishOf(VersionManifest version, ModelLayout layout, List<ShardEntry> entries) {
        return "train".equals(version.cause()) && version.layout().equals(layout) && version.shards().equals(entries);
    }

    /** The next version number and its manifest, from trained shard entries. */
    public VersionManifest manifest(Dataset data, List<ShardEntry> shards, int version, Integer parent)
            throws IOException {
        Tombstones tombstones = tombstones();
        return new VersionManifest(repo.model(), version, parent, Instant.now().toString(), layoutOf(data),
                tombstones.digests(), tombstones.keyId(), List.copyOf(shards), "train", List.of());
    }

    /** Trains every shard in this process and publishes the next version. */
    public VersionManifest trainAll(Dataset data) throws IOException {
        return trainAllExcluding(data, Set.of());
    }

    /**
     * Like {@link #trainAll} but also leaves out {@code excluded} (not tombstoned): the "retrain from scratch
     * without the forget set" reference that evaluations compare unlearning against.
     */
    public VersionManifest trainAllExcluding(Dataset data, Set<String> excluded) throws IOException {
        requireTombstonesStillApply(data);
        Optional<VersionManifest> previous = repo.latest();
        int version = previous.map(v -> v.version() + 1).orElse(1);
        ShardLayout layout = layout(data, excluded);
        List<ShardEntry> shards = new ArrayList<>();
        for (int shard = 0; shard < layout.shards(); shard++) {
            shards.add(trainShard(data, layout, shard, version));
        }
        VersionManifest manifest = manifest(data, shards, version, previous.map(VersionManifest::version).orElse(null));
        repo.publish(manifest);
        return manifest;
    }

    /** The layout a training of {@code data} records, its placement rule included (computed once per dataset). */
    public synchronized ModelLayout layoutOf(Dataset data) {
        return layouts.computeIfAbsent(data, d -> {
            ShardPlacement placement = ShardPlacement.resolve(spec);
            int shards = spec.getSharding().getShards();
            Map<String, Integer> spread = placement == ShardPlacement.BY_SUBJECT
                    ? PlacementRule.oversizedSubjects(d, shards, repo::idKey) : Map.of();
            return new ModelLayout(spec.getArchitecture(), d.inputShape(), d.classes(), shards,
                    spec.getSharding().getSlices(), spec.getTraining().getSeed(), spec.getSharding().getAggregation(),
                    digest(d), placement, spread);
        });
    }

    private PlacementRule placement(Dataset data) {
        ModelLayout layout = layoutOf(data);
        return PlacementRule.of(layout, layout.spreadSubjects().isEmpty() ? null : repo.idKey());
    }

    /** The data's digest, computed once per dataset this training sees (hashing the data is not cheap). */
    public String dataDigest(Dataset data) {
        return digest(data);
    }

    private synchronized String digest(Dataset data) {
        return digests.computeIfAbsent(data, Dataset::digest);
    }

    private void requireTombstonesStillApply(Dataset data) throws IOException {
        Optional<VersionManifest> newest = repo.latest();
        if (newest.isPresent()) {
            TrainedOn.requireTombstonesStillApply(newest.get(), data, digest(data));
        }
    }
}
