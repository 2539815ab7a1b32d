package dev.unlearning.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** What to train: the data, the network, how it is split into shards, and how each shard is trained. */
@ValidationRule(value = "!has(self.verification) || (!has(self.verification.maxBackdoorAsr) "
        + "&& !has(self.verification.maxBackdoorAsrExcess))",
        message = "verification.maxBackdoorAsr and maxBackdoorAsrExcess are set per UnlearningRequest, with the "
                + "backdoorTrigger they are measured with (maxBackdoorAsrExcess 0.02 is the default there)")
@ValidationRule(value = "!has(self.dataset.format) || self.dataset.format == 'idx' || has(self.dataset.testUri) "
        + "|| !has(self.verification) || (!has(self.verification.minTestAccuracy) && !has(self.verification.maxMiaAuc)"
        + " && !has(self.verification.maxForgetAccuracyGap) && !has(self.verification.maxMiaAdvantage)"
        + " && !has(self.verification.maxTestAccuracyDrop))",
        message = "verification.minTestAccuracy, maxMiaAuc, maxForgetAccuracyGap, maxMiaAdvantage and "
                + "maxTestAccuracyDrop are measured on held-out data: set dataset.testUri for csv and jsonl data")
@ValidationRule(value = "!has(self.dataset.format) || self.dataset.format == 'idx' || has(self.dataset.testUri) "
        + "|| (has(self.verification) && has(self.verification.defaults) && self.verification.defaults == 'None')",
        message = "the relative gate defaults compare the forget set with held-out records: set dataset.testUri "
                + "for csv and jsonl data, or verification.defaults: None to gate on explicit thresholds only")
@ValidationRule(value = "(has(self.architecture) && has(self.architecture.type) && self.architecture.type == 'transformer-lm')"
        + " == (has(self.dataset.format) && self.dataset.format == 'jsonl')",
        message = "a transformer-lm trains on jsonl text, and jsonl text trains only a transformer-lm")
@ValidationRule(value = "!has(self.sharding) || !has(self.sharding.aggregation) || self.sharding.aggregation != 'Posterior'"
        + " || (has(self.architecture) && has(self.architecture.type) && self.architecture.type == 'transformer-lm')",
        message = "sharding.aggregation Posterior weighs language-model shards by the likelihood of the text so far; "
                + "classifiers use MeanSoftmax or MajorityVote")
@ValidationRule(value = "!has(self.sharding) || !has(self.sharding.aggregation) || self.sharding.aggregation != 'MajorityVote'"
        + " || !has(self.architecture) || !has(self.architecture.type) || self.architecture.type != 'transformer-lm'",
        message = "a transformer-lm combines next-token distributions: MeanSoftmax or Posterior, not MajorityVote")
@ValidationRule(value = "!has(self.architecture) || !has(self.architecture.type) || self.architecture.type != 'knn'"
        + " || !has(self.unlearning) || !has(self.unlearning.method) || self.unlearning.method in ['Auto', 'Exact']",
        message = "a knn model forgets by dropping records from its index, exactly: unlearning.method Auto or Exact")
@ValidationRule(value = "!has(self.verification) || !has(self.verification.maxForgottenClassTestAccuracy)",
        message = "verification.maxForgottenClassTestAccuracy is set per UnlearningRequest that forgets labels, "
                + "where it is measured (0.02 is the default there)")
public class ShardedModelSpec {

    @Required
    @JsonPropertyDescription("Where the training data lives and how it is encoded.")
    private DatasetSpec dataset;

    @JsonPropertyDescription("The network each shard trains.")
    private ArchitectureSpec architecture = new ArchitectureSpec();

    @JsonPropertyDescription("How records are split into shards and slices, and how shard outputs are combined.")
    private ShardingSpec sharding = new ShardingSpec();

    @JsonPropertyDescription("Optimisation settings shared by every shard.")
    private TrainingSpec training = new TrainingSpec();

    @Required
    @JsonPropertyDescription("The artifact store for versions, checkpoints and certificates.")
    private StorageSpec storage;

    @JsonPropertyDescription("Where and how the Job pods run (image, GPUs, scheduling, Job limits).")
    private RuntimeSpec runtime = new RuntimeSpec();

    @JsonPropertyDescription("The inference Deployment.")
    private ServingSpec serving = new ServingSpec();

    @JsonPropertyDescription("Default thresholds every new version must meet before it is served.")
    private VerificationSpec verification = new VerificationSpec();

    @JsonPropertyDescription("Defaults for this model's UnlearningRequests.")
    private UnlearningDefaults unlearning = new UnlearningDefaults();

    @Min(1)
    @Max(100)
    @Default("3")
    @JsonPropertyDescription("Clean versions (holding no forgotten record) kept for rollback; older ones, and every "
            + "version that holds a forgotten record, are erased from the store once a newer version is served.")
    private int retention = 3;

    public int getRetention() {
        return retention;
    }

    public void setRetention(int retention) {
        this.retention = retention;
    }

    public StorageSpec getStorage() {
        return storage;
    }

    public void setStorage(StorageSpec storage) {
        this.storage = storage;
    }

    public DatasetSpec getDataset() {
        return dataset;
    }

    public void setDataset(DatasetSpec dataset) {
        this.dataset = dataset;
    }

    public ArchitectureSpec getArchitecture() {
        return architecture;
    }

    public void setArchitecture(ArchitectureSpec architecture) {
        this.architecture = architecture;
    }

    public ShardingSpec getSharding() {
        return sharding;
    }

    public void setSharding(ShardingSpec sharding) {
        this.sharding = sharding;
    }

    public TrainingSpec getTraining() {
        return training;
    }

    public void setTraining(TrainingSpec training) {
        this.training = training;
    }

    public RuntimeSpec getRuntime() {
        return runtime;
    }

    public void setRuntime(RuntimeSpec runtime) {
        this.runtime = runtime;
    }

    public ServingSpec getServing() {
        return serving;
    }

    public void setServing(ServingSpec serving) {
        this.serving = serving;
    }

    public VerificationSpec getVerification() {
        return verification;
    }

    public void setVerification(VerificationSpec verification) {
        this.verification = verification;
    }

    public UnlearningDefaults getUnlearning() {
        return unlearning;
    }

    public void setUnlearning(UnlearningDefaults unlearning) {
        this.unlearning = unlearning;
    }
}
