package dev.unlearning.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Observed state of an UnlearningRequest. Record ids never appear here or in events: only counts, shard
 * numbers, digests and metrics.
 */
public class UnlearningRequestStatus extends ConditionedStatus {

    @JsonPropertyDescription("Where the request is, in one word read off its conditions (for kubectl get): Pending, "
            + "NotAccepted, Accepted, Planned, Detecting, Reported (a dry run's end), WaitingForQuota, Unlearning, "
            + "RollingOut, Erasing, ExactPending, Complete or Failed.")
    private String phase;

    @JsonPropertyDescription("Shards holding the requested records (all shards for subject, label and list requests until resolved).")
    private List<Integer> affectedShards = new ArrayList<>();

    @JsonPropertyDescription("The unlearning run that carries this request out.")
    private String batch;

    @JsonPropertyDescription("The concrete method used (Auto resolves to one).")
    private UnlearningMethod method;

    private List<String> jobNames = new ArrayList<>();

    @JsonPropertyDescription("Evaluation of the version before unlearning (accuracies, MIA AUC).")
    private Map<String, Double> metricsBefore;

    @JsonPropertyDescription("Evaluation of the unlearned version.")
    private Map<String, Double> metricsAfter;

    private Integer resultingVersion;

    private CertificateReference certificate;

    @JsonPropertyDescription("True once the deadline passed before the request completed.")
    private Boolean deadlineExceeded;

    @JsonPropertyDescription("Records forgotten; unknown ids are counted, never listed.")
    private Integer forgottenRecords;

    private Integer unknownRecords;

    @JsonPropertyDescription("Exact once no kept artifact holds the records; Approximate when the request opted out of the exact follow-up.")
    private Guarantee guarantee;

    @JsonPropertyDescription("While forgotten approximately: when the exact retrain is due.")
    private String exactDue;

    @JsonPropertyDescription("What erasure deleted once this request's version was served: versions, blob count, certificate.")
    private ErasureRecord erasure;

    @JsonPropertyDescription("For a datasetRef request: each model trained on the dataset and how far it is.")
    private List<ModelProgress> models;

    @JsonPropertyDescription("For a dryRun: what the detector found (nothing was forgotten).")
    private DetectionReport detection;

    public DetectionReport getDetection() {
        return detection;
    }

    public void setDetection(DetectionReport detection) {
        this.detection = detection;
    }

    @JsonPropertyDescription("The dataset ledger this request's selector is recorded in.")
    private LedgerRecord ledger;

    public List<ModelProgress> getModels() {
        return models;
    }

    public void setModels(List<ModelProgress> models) {
        this.models = models;
    }

    public LedgerRecord getLedger() {
        return ledger;
    }

    public void setLedger(LedgerRecord ledger) {
        this.ledger = ledger;
    }

    public List<Integer> getAffectedShards() {
        return affectedShards;
    }

    public void setAffectedShards(List<Integer> affectedShards) {
        this.affectedShards = affectedShards;
    }

    public String getBatch() {
        return batch;
    }

    public void setBatch(String batch) {
        this.batch = batch;
    }

    public UnlearningMethod getMethod() {
        return method;
    }

    public void setMethod(UnlearningMethod method) {
        this.method = method;
    }

    public List<String> getJobNames() {
        return jobNames;
    }

    public void setJobNames(List<String> jobNames) {
        this.jobNames = jobNames;
    }

    public Map<String, Double> getMetricsBefore() {
        return metricsBefore;
    }

    public void setMetricsBefore(Map<String, Double> metricsBefore) {
        this.metricsBefore = metricsBefore;
    }

    public Map<String, Double> getMetricsAfter() {
        return metricsAfter;
    }

    public void setMetricsAfter(Map<String, Double> metricsAfter) {
        this.metricsAfter = metricsAfter;
    }

    public Integer getResultingVersion() {
        return resultingVersion;
    }

    public void setResultingVersion(Integer resultingVersion) {
        this.resultingVersion = resultingVersion;
    }

    public CertificateReference getCertificate() {
        return certificate;
    }

    public void setCertificate(CertificateReference certificate) {
        this.certificate = certificate;
    }

    public Boolean getDeadlineExceeded() {
        return deadlineExceeded;
    }

    public void setDeadlineExceeded(Boolean deadlineExceeded) {
        this.deadlineExceeded = deadlineExceeded;
    }

    public Integer getForgottenRecords() {
        return forgottenRecords;
    }

    public void setForgottenRecords(Integer forgottenRecords) {
        this.forgottenRecords = forgottenRecords;
    }

    public Integer getUnknownRecords() {
        return unknownRecords;
    }

    public void setUnknownRecords(Integer unknownRecords) {
        this.unknownRecords = unknownRecords;
    }

    public ErasureRecord getErasure() {
        return erasure;
    }

    public void setErasure(ErasureRecord erasure) {
        this.erasure = erasure;
    }

    public Guarantee getGuarantee() {
        return guarantee;
    }

    public void setGuarantee(Guarantee guarantee) {
        this.guarantee = guarantee;
    }

    public String getExactDue() {
        return exactDue;
    }

    public void setExactDue(String exactDue) {
        this.exactDue = exactDue;
    }

    public String getPhase() {
        return phase;
    }

    public void setPhase(String phase) {
        this.phase = phase;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof UnlearningRequestStatus o && super.equals(other) && Objects.equals(phase, o.phase)
                && Objects.equals(affectedShards, o.affectedShards) && Objects.equals(batch, o.batch)
                && Objects.equals(method, o.method) && Objects.equals(jobNames, o.jobNames)
                && Objects.equals(metricsBefore, o.metricsBefore) && Objects.equals(metricsAfter, o.metricsAfter)
                && Objects.equals(resultingVersion, o.resultingVersion)
                && Objects.equals(certificate, o.certificate)
                && Objects.equals(deadlineExceeded, o.deadlineExceeded)
                && Objects.equals(forgottenRecords, o.forgottenRecords)
                && Objects.equals(unknownRecords, o.unknownRecords) && Objects.equals(guarantee, o.guarantee)
                && Objects.equals(exactDue, o.exactDue) && Objects.equals(erasure, o.erasure)
                && Objects.equals(models, o.models) && Objects.equals(detection, o.detection)
                && Objects.equals(ledger, o.ledger);
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), phase, affectedShards, batch, method, jobNames, metricsBefore,
                metricsAfter, resultingVersion, certificate, deadlineExceeded, forgottenRecords, unknownRecords,
                guarantee, exactDue, erasure, models, detection, ledger);
    }
}
