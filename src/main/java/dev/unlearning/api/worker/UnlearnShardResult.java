package dev.unlearning.api.worker;

/** Result of one pod of an unlearning Job: the shard it staged for {@code finalize}. */
public record UnlearnShardResult(String run, int shard, boolean changed, long samplesProcessed, double wallSeconds)
        implements WorkerResult {
}
