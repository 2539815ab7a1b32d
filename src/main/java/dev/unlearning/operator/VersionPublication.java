package dev.unlearning.operator;

import dev.unlearning.api.BatchRun;
import dev.unlearning.api.RunMember;
import dev.unlearning.api.ShardStatus;
import dev.unlearning.api.ShardedModelStatus;
import dev.unlearning.api.UnlearningMethod;
import dev.unlearning.api.VersionRecord;
import dev.unlearning.api.worker.FinalizeResult;
import dev.unlearning.api.worker.ShardSummary;
import dev.unlearning.api.worker.TrainingResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import dev.unlearning.api.PublishedVersions;
import dev.unlearning.api.AbandonedStore;

/**
 * The one writer of what the model's status says about its versions: the current version, the version list, the
 * shards and what they were trained in, the tombstone count and the newest forgetting version. A training publish
 * and an unlearning publish both go through here, so the two can never disagree on what a new version means.
 */
final class VersionPublication {

    /** How many versions the status lists; the store keeps what retention says, this is only a view of it. */
    static final int KEPT_VERSIONS = 10;

    private VersionPublication() {
    }

    /**
     * Follows {@code spec.storage.uri}: when it changed after versions were published, the old store is recorded as
     * abandoned (and returned), since nothing the operator does reaches it any more.
     */
    static Optional<AbandonedStore> followStore(ShardedModelStatus status, String uri, Instant now) {
        PublishedVersions published = status.getPublished();
        String before = published.getStoreUri();
        if (uri == null || uri.equals(before)) {
            return Optional.empty();
        }
        published.setStoreUri(uri);
        if (before == null || published.getVersions().isEmpty()) {
            return Optional.empty();
        }
        AbandonedStore left = new AbandonedStore();
        left.setUri(before);
        left.setVersions(published.getVersions().stream().map(VersionRecord::getVersion).toList());
        left.setSince(now.toString());
        List<AbandonedStore> abandoned = new ArrayList<>(published.getAbandonedStores());
        abandoned.add(left);
        published.setAbandonedStores(abandoned);
        return Optional.of(left);
    }

    /** A training run published {@code result}: every shard is new, exact and trained in this version. */
    static void trained(ShardedModelStatus status, TrainingResult result, Instant at) {
        int version = result.version();
        status.getPublished().setCurrentVersion(version);
        RunFailures.superseded(status);
        status.getPublished().setDataDigest(result.dataDigest());
        // A result that had to drop its spread list to fit the termination message leaves it unknown (null),
        // and the planner then names every shard for subject requests.
        status.getPublished().setPlacement(result.placement());
        status.getPublished().setSpreadSubjects(result.spreadSubjects());
        add(status, version(version, result.ensembleDigest(), at, "train", null));
        List<ShardStatus> shards = new ArrayList<>();
        for (ShardSummary summary : result.shards() == null ? List.<ShardSummary>of() : result.shards()) {
            ShardStatus shard = new ShardStatus();
            shard.setShard(summary.shard());
            shard.setRecords(summary.records());
            shard.setTrainedInVersion(version);
            shard.setExact(true);
            shard.setTestAccuracy(summary.testAccuracy());
            shards.add(shard);
        }
        status.getPublished().setShards(shards);
    }

    /** Unlearning run {@code run} published {@code result}: its shards are new, exact only if the method was. */
    static void unlearned(ShardedModelStatus status, BatchRun run, FinalizeResult result, Instant at) {
        int version = result.version();
        status.getPublished().setCurrentVersion(version);
        RunFailures.superseded(status);
        add(status, version(version, result.digestAfter(), at, "unlearn:" + run.getMethod(),
                run.getRequests().stream().map(RunMember::getName).toList()));
        Integer tombstones = status.getPublished().getTombstoneCount();
        status.getPublished().setTombstoneCount((tombstones == null ? 0 : tombstones) + result.forgotten());
        status.getPublished().setLastForgettingVersion(version);
        for (ShardStatus shard : status.getPublished().getShards()) {
            if (run.getShards().contains(shard.getShard())) {
                shard.setTrainedInVersion(version);
                shard.setExact(run.getMethod() == UnlearningMethod.EXACT);
                shard.setTestAccuracy(result.shardTestAccuracy() == null ? null
                        : result.shardTestAccuracy().get(shard.getShard()));
            }
        }
    }

    private static VersionRecord version(int version, String digest, Instant at, String cause, List<String> requests) {
        VersionRecord record = new VersionRecord();
        record.setVersion(version);
        record.setDigest(digest);
        record.setCreatedAt(at.toString());
        record.setCause(cause);
        if (requests != null) {
            record.setRequests(requests);
        }
        return record;
    }

    private static void add(ShardedModelStatus status, VersionRecord record) {
        List<VersionRecord> versions = new ArrayList<>(status.getPublished().getVersions());
        versions.removeIf(v -> v.getVersion() == record.getVersion());
        versions.add(record);
        while (versions.size() > KEPT_VERSIONS) {
            versions.remove(0);
        }
        status.getPublished().setVersions(versions);
    }
}
