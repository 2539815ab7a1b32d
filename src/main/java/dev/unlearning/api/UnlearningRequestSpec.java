package dev.unlearning.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.generator.annotation.Pattern;

/** What to forget, from which model, and how. Immutable once created: a request is a record of intent. */
@ValidationRule(value = "self == oldSelf", message = "spec is immutable; create a new UnlearningRequest instead")
@ValidationRule(value = "has(self.modelRef) != has(self.datasetRef)", message = "exactly one of modelRef or datasetRef must be set")
@ValidationRule(value = "!has(self.verification) || (!has(self.verification.maxBackdoorAsr) && "
        + "!has(self.verification.maxBackdoorAsrExcess)) || has(self.backdoorTrigger)",
        message = "verification.maxBackdoorAsr and maxBackdoorAsrExcess need spec.backdoorTrigger: the attack success "
                + "rate is measured with it")
@ValidationRule(value = "!has(self.verification) || !has(self.verification.maxForgottenClassTestAccuracy) "
        + "|| has(self.forget.labels)",
        message = "verification.maxForgottenClassTestAccuracy needs spec.forget.labels: it is measured on those classes")
@ValidationRule(value = "!has(self.dryRun) || !self.dryRun || (has(self.forget.outliers) && has(self.modelRef))",
        message = "dryRun needs forget.outliers and modelRef: it reports what a detector would select in one model's "
                + "data")
public class UnlearningRequestSpec {

    @JsonPropertyDescription("The ShardedModel, in this request's namespace, that must forget.")
    private ModelReference modelRef;

    @JsonPropertyDescription("Instead of modelRef: every ShardedModel in this namespace trained on this dataset forgets "
            + "(one owned request per model), and models trained on it later leave the records out.")
    private DatasetReference datasetRef;

    @Required
    private ForgetSelector forget;

    @Default("Auto")
    @JsonPropertyDescription("Exact (SISA retrain); SCRUB, NegGradPlus, FineTune, SSD or SalUn for classifiers; "
            + "GradientDifference or NPO for a transformer-lm; or Auto: the model's "
            + "unlearning.method, else the route for the request's kind (README, Auto routing); an approximate first "
            + "attempt that fails verification falls back to Exact.")
    private UnlearningMethod method = UnlearningMethod.AUTO;

    @JsonPropertyDescription("Thresholds the unlearned version must meet; unset fields take the model's defaults.")
    private VerificationSpec verification;

    @JsonPropertyDescription("For poisoned records (backdoor canaries): the trigger they carry, which "
            + "verification.maxBackdoorAsr is measured with on held-out images.")
    private BackdoorTrigger backdoorTrigger;

    public BackdoorTrigger getBackdoorTrigger() {
        return backdoorTrigger;
    }

    public void setBackdoorTrigger(BackdoorTrigger backdoorTrigger) {
        this.backdoorTrigger = backdoorTrigger;
    }

    @Pattern("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$")
    @JsonPropertyDescription("RFC 3339 time by which the data must be forgotten; earlier deadlines are served first.")
    private String deadline;

    @Min(0)
    @JsonPropertyDescription("Delete this request this many seconds after it is Complete or Failed, as Jobs do. Its "
            + "certificate (a ConfigMap) and the dataset ledger's entry stay: nothing is un-forgotten.")
    private Integer ttlSecondsAfterFinished;

    @Default("Automatic")
    @JsonPropertyDescription("Automatic, or Manual: wait for the annotation unlearning.dev/approve-rollout: \"true\".")
    private RolloutPolicy rollout = RolloutPolicy.AUTOMATIC;

    @Default("true")
    @JsonPropertyDescription("For approximate methods: retrain the affected shards exactly by the deadline (or the "
            + "model's unlearning.exactWithin) and report Complete only then. false where no law asks for it (e.g. "
            + "removing a bias or mislabelled data): Complete once the approximate version is served, and status "
            + "and certificate say Approximate.")
    private boolean exactFollowUp = true;

    @JsonPropertyDescription("With forget.outliers: find the records and report how many and their keyed digests "
            + "(status.detection and a report in the model's store), forgetting nothing.")
    private Boolean dryRun;

    public Boolean getDryRun() {
        return dryRun;
    }

    public void setDryRun(Boolean dryRun) {
        this.dryRun = dryRun;
    }

    /** Whether the request only reports what it would forget. */
    public boolean dryRun() {
        return Boolean.TRUE.equals(dryRun);
    }

    public VerificationSpec getVerification() {
        return verification;
    }

    public void setVerification(VerificationSpec verification) {
        this.verification = verification;
    }

    public String getDeadline() {
        return deadline;
    }

    public void setDeadline(String deadline) {
        this.deadline = deadline;
    }

    public RolloutPolicy getRollout() {
        return rollout;
    }

    public void setRollout(RolloutPolicy rollout) {
        this.rollout = rollout;
    }

    public Integer getTtlSecondsAfterFinished() {
        return ttlSecondsAfterFinished;
    }

    public void setTtlSecondsAfterFinished(Integer ttlSecondsAfterFinished) {
        this.ttlSecondsAfterFinished = ttlSecondsAfterFinished;
    }

    public DatasetReference getDatasetRef() {
        return datasetRef;
    }

    public void setDatasetRef(DatasetReference datasetRef) {
        this.datasetRef = datasetRef;
    }

    public ModelReference getModelRef() {
        return modelRef;
    }

    public void setModelRef(ModelReference modelRef) {
        this.modelRef = modelRef;
    }

    public ForgetSelector getForget() {
        return forget;
    }

    public void setForget(ForgetSelector forget) {
        this.forget = forget;
    }

    public UnlearningMethod getMethod() {
        return method;
    }

    public void setMethod(UnlearningMethod method) {
        this.method = method;
    }

    public boolean getExactFollowUp() {
        return exactFollowUp;
    }

    public void setExactFollowUp(boolean exactFollowUp) {
        this.exactFollowUp = exactFollowUp;
    }
}
