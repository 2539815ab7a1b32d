package dev.unlearning.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What decides a training record's shard. By subject, all of one person's records share a shard, so
 * forgetting that person retrains one shard instead of every shard.
 */
public enum ShardPlacement {
    /** BySubject when the dataset declares subjects (a subject map, the subject column of csv, or jsonl's subject field), else ByRecord. */
    @JsonProperty("Auto")
    AUTO,
    /** The record id's hash; a subject's records spread over every shard. */
    @JsonProperty("ByRecord")
    BY_RECORD,
    /** The subject id's hash (records without a subject: their own id's); slices still spread by record. */
    @JsonProperty("BySubject")
    BY_SUBJECT;

    /** The placement a model with this spec trains with: Auto resolved from what the spec says of the data. */
    public static ShardPlacement resolve(ShardedModelSpec spec) {
        ShardPlacement wanted = spec.getSharding().getPlacement();
        if (wanted != null && wanted != AUTO) {
            return wanted;
        }
        DatasetSpec dataset = spec.getDataset();
        boolean hasSubjects = dataset != null
                && (dataset.getSubjectMapUri() != null || dataset.getFormat() == DatasetFormat.CSV
                        || dataset.getFormat() == DatasetFormat.JSONL);
        return hasSubjects ? BY_SUBJECT : BY_RECORD;
    }
}
