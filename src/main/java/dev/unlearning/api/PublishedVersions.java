package dev.unlearning.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** What the model has published, written only by the operator's version publication: the versions in the store, their shards and the forgetting they carry. */
public class PublishedVersions {

    @JsonPropertyDescription("Newest complete model version in the store.")
    private Integer currentVersion;

    @JsonPropertyDescription("The most recent versions, newest last.")
    private List<VersionRecord> versions = new ArrayList<>();

    @JsonPropertyDescription("Each shard of the current version: its records and the version it was last trained in.")
    private List<ShardStatus> shards = new ArrayList<>();

    @JsonPropertyDescription("Records this model has forgotten so far.")
    private Integer tombstoneCount;

    @JsonPropertyDescription("The newest version that forgot records; every older version lacks some of its tombstones, so pinning one is refused.")
    private Integer lastForgettingVersion;

    @JsonPropertyDescription("Digest of the training data of the newest version (record ids of IDX data are row positions in it).")
    private String dataDigest;

    @JsonPropertyDescription("What placed the newest training's records in shards: BySubject or ByRecord.")
    private ShardPlacement placement;

    @JsonPropertyDescription("Subjects the newest training spread over several shards (too large for one), by the "
            + "first 16 hex characters of their keyed digest, with how many consecutive shards from the home shard "
            + "each spans. Absent while unknown: subject requests are then planned onto every shard.")
    private Map<String, Integer> spreadSubjects;

    @JsonPropertyDescription("The store the versions above are in (spec.storage.uri when they were published).")
    private String storeUri;

    @JsonPropertyDescription("Stores the model's versions were left in by a change of spec.storage.uri: the operator "
            + "neither serves nor erases them any more, so whatever they hold stays until their owner erases them.")
    private List<AbandonedStore> abandonedStores = new ArrayList<>();

    public String getStoreUri() {
        return storeUri;
    }

    public void setStoreUri(String storeUri) {
        this.storeUri = storeUri;
    }

    public List<AbandonedStore> getAbandonedStores() {
        return abandonedStores;
    }

    public void setAbandonedStores(List<AbandonedStore> abandonedStores) {
        this.abandonedStores = abandonedStores;
    }

    public Integer getCurrentVersion() {
        return currentVersion;
    }

    public void setCurrentVersion(Integer currentVersion) {
        this.currentVersion = currentVersion;
    }

    public List<VersionRecord> getVersions() {
        return versions;
    }

    public void setVersions(List<VersionRecord> versions) {
        this.versions = versions;
    }

    public List<ShardStatus> getShards() {
        return shards;
    }

    public void setShards(List<ShardStatus> shards) {
        this.shards = shards;
    }

    public Integer getTombstoneCount() {
        return tombstoneCount;
    }

    public void setTombstoneCount(Integer tombstoneCount) {
        this.tombstoneCount = tombstoneCount;
    }

    public Integer getLastForgettingVersion() {
        return lastForgettingVersion;
    }

    public void setLastForgettingVersion(Integer lastForgettingVersion) {
        this.lastForgettingVersion = lastForgettingVersion;
    }

    public String getDataDigest() {
        return dataDigest;
    }

    public void setDataDigest(String dataDigest) {
        this.dataDigest = dataDigest;
    }

    public ShardPlacement getPlacement() {
        return placement;
    }

    public void setPlacement(ShardPlacement placement) {
        this.placement = placement;
    }

    public Map<String, Integer> getSpreadSubjects() {
        return spreadSubjects;
    }

    public void setSpreadSubjects(Map<String, Integer> spreadSubjects) {
        this.spreadSubjects = spreadSubjects;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PublishedVersions o && Objects.equals(currentVersion, o.currentVersion) &&
                Objects.equals(versions, o.versions) && Objects.equals(shards, o.shards) &&
                Objects.equals(tombstoneCount, o.tombstoneCount) &&
                Objects.equals(lastForgettingVersion, o.lastForgettingVersion) &&
                Objects.equals(dataDigest, o.dataDigest) && Objects.equals(placement, o.placement) &&
                Objects.equals(spreadSubjects, o.spreadSubjects) && Objects.equals(storeUri, o.storeUri) &&
                Objects.equals(abandonedStores, o.abandonedStores);
    }

    @Override
    public int hashCode() {
        return Objects.hash(currentVersion, versions, shards, tombstoneCount, lastForgettingVersion, dataDigest, placement, spreadSubjects,
                storeUri, abandonedStores);
    }
}
