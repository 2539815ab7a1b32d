package dev.unlearning.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How a finished unlearning run ended, kept in the model's status until every request it carried has copied
 * its outcome into its own status and ended.
 */
public class RunRecord {

    private String id;

    private List<RunMember> requests = new ArrayList<>();

    @JsonPropertyDescription("The method of the last attempt.")
    private UnlearningMethod method;

    @JsonPropertyDescription("Published or Failed.")
    private RunOutcome outcome;

    @JsonPropertyDescription("CamelCase reason, e.g. VerificationPassed, VerificationFailed, UnlearningJobFailed.")
    private String reason;

    private String message;

    @JsonPropertyDescription("The version the run published.")
    private Integer version;

    private CertificateReference certificate;

    private Map<String, Double> metricsBefore;

    private Map<String, Double> metricsAfter;

    private Integer forgottenRecords;

    private Integer unknownRecords;

    private List<String> jobNames = new ArrayList<>();

    private String finishedAt;

    public String getId() {
        return id;
    }

    public void setId(String id) {
        this.id = id;
    }

    public List<RunMember> getRequests() {
        return requests;
    }

    public void setRequests(List<RunMember> requests) {
        this.requests = requests;
    }

    public UnlearningMethod getMethod() {
        return method;
    }

    public void setMethod(UnlearningMethod method) {
        this.method = method;
    }

    public RunOutcome getOutcome() {
        return outcome;
    }

    public void setOutcome(RunOutcome outcome) {
        this.outcome = outcome;
    }

    public String getReason() {
        return reason;
    }

    public void setReason(String reason) {
        this.reason = reason;
    }

    public String getMessage() {
        return message;
    }

    public void setMessage(String message) {
        this.message = message;
    }

    public Integer getVersion() {
        return version;
    }

    public void setVersion(Integer version) {
        this.version = version;
    }

    public CertificateReference getCertificate() {
        return certificate;
    }

    public void setCertificate(CertificateReference certificate) {
        this.certificate = certificate;
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

    public List<String> getJobNames() {
        return jobNames;
    }

    public void setJobNames(List<String> jobNames) {
        this.jobNames = jobNames;
    }

    public String getFinishedAt() {
        return finishedAt;
    }

    public void setFinishedAt(String finishedAt) {
        this.finishedAt = finishedAt;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RunRecord o && Objects.equals(id, o.id) && Objects.equals(requests, o.requests)
                && Objects.equals(method, o.method) && Objects.equals(outcome, o.outcome)
                && Objects.equals(reason, o.reason) && Objects.equals(message, o.message)
                && Objects.equals(version, o.version) && Objects.equals(certificate, o.certificate)
                && Objects.equals(metricsBefore, o.metricsBefore) && Objects.equals(metricsAfter, o.metricsAfter)
                && Objects.equals(forgottenRecords, o.forgottenRecords)
                && Objects.equals(unknownRecords, o.unknownRecords) && Objects.equals(jobNames, o.jobNames)
                && Objects.equals(finishedAt, o.finishedAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, requests, method, outcome, reason, message, version, certificate, metricsBefore,
                metricsAfter, forgottenRecords, unknownRecords, jobNames, finishedAt);
    }
}
