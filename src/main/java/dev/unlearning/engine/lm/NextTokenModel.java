package dev.unlearning.engine.lm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/** Anything that gives next-token distributions: one model, or an ensemble of shards answering as one. */
public interface NextTokenModel {

    /** Log-probabilities of the next token (batch, time, vocabulary) for token ids (batch, time). */
    NDArray logProbabilities(NDArray ids);

    /** The longest sequence it reads, in tokens. */
    int context();

    /** Where scratch arrays are made; callers close what they create under it. */
    NDManager manager();
}
