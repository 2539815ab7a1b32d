package dev.unlearning.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** One shard of the current version. */
public class ShardStatus {

    private int shard;

    @JsonPropertyDescription("Records it was trained on.")
    private int records;

    @JsonPropertyDescription("Version in which this shard was last retrained or altered.")
    private int trainedInVersion;

    @JsonPropertyDescription("False after approximate unlearning: checkpoints still hold forgotten records.")
    private boolean exact;

    @JsonPropertyDescription("This shard alone on up to 2,000 evenly spaced held-out test records.")
    private Double testAccuracy;

    public Double getTestAccuracy() {
        return testAccuracy;
    }

    public void setTestAccuracy(Double testAccuracy) {
        this.testAccuracy = testAccuracy;
    }

    public int getShard() {
        return shard;
    }

    public void setShard(int shard) {
        this.shard = shard;
    }

    public int getRecords() {
        return records;
    }

    public void setRecords(int records) {
        this.records = records;
    }

    public int getTrainedInVersion() {
        return trainedInVersion;
    }

    public void setTrainedInVersion(int trainedInVersion) {
        this.trainedInVersion = trainedInVersion;
    }

    public boolean getExact() {
        return exact;
    }

    public void setExact(boolean exact) {
        this.exact = exact;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ShardStatus o && shard == o.shard && records == o.records
                && trainedInVersion == o.trainedInVersion && exact == o.exact
                && Objects.equals(testAccuracy, o.testAccuracy);
    }

    @Override
    public int hashCode() {
        return Objects.hash(shard, records, trainedInVersion, exact, testAccuracy);
    }
}
