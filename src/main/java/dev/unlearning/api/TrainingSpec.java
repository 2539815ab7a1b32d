package dev.unlearning.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** Optimisation settings; the seed fixes initialisation, data order and record placement. */
public class TrainingSpec {

    @Min(1)
    @Max(1000)
    @Default("3")
    @JsonPropertyDescription("Passes over each slice's data.")
    private int epochs = 3;

    @Min(1)
    @Max(65536)
    @Default("64")
    private int batchSize = 64;

    @Default("0.001")
    @JsonPropertyDescription("Adam learning rate.")
    private double learningRate = 0.001;

    @Default("42")
    @JsonPropertyDescription("Seed for initialisation, shuffling and the record-to-shard hash.")
    private long seed = 42;

    public int getEpochs() {
        return epochs;
    }

    public void setEpochs(int epochs) {
        this.epochs = epochs;
    }

    public int getBatchSize() {
        return batchSize;
    }

    public void setBatchSize(int batchSize) {
        this.batchSize = batchSize;
    }

    public double getLearningRate() {
        return learningRate;
    }

    public void setLearningRate(double learningRate) {
        this.learningRate = learningRate;
    }

    public long getSeed() {
        return seed;
    }

    public void setSeed(long seed) {
        this.seed = seed;
    }
}
