package dev.unlearning.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Map;
import java.util.Objects;

/** What a dry run's detector found: counts, and where the keyed digests of the records are. */
public class DetectionReport {

    @JsonPropertyDescription("Records the detector selected: what the request would forget without dryRun.")
    private Integer found;

    @JsonPropertyDescription("Of those, how many per class label.")
    private Map<String, Integer> perClass;

    @JsonPropertyDescription("Key in the model's store of the report: the selector, the data digest and the records' "
            + "HMAC-SHA256 digests under the namespace's id-digest key (Secret unlearning-id-key).")
    private String report;

    @JsonPropertyDescription("SHA-256 of the report's bytes.")
    private String reportDigest;

    @JsonPropertyDescription("Digest of the training data the detector ran on.")
    private String dataDigest;

    public Integer getFound() {
        return found;
    }

    public void setFound(Integer found) {
        this.found = found;
    }

    public Map<String, Integer> getPerClass() {
        return perClass;
    }

    public void setPerClass(Map<String, Integer> perClass) {
        this.perClass = perClass;
    }

    public String getReport() {
        return report;
    }

    public void setReport(String report) {
        this.report = report;
    }

    public String getReportDigest() {
        return reportDigest;
    }

    public void setReportDigest(String reportDigest) {
        this.reportDigest = reportDigest;
    }

    public String getDataDigest() {
        return dataDigest;
    }

    public void setDataDigest(String dataDigest) {
        this.dataDigest = dataDigest;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof DetectionReport o && Objects.equals(found, o.found)
                && Objects.equals(perClass, o.perClass) && Objects.equals(report, o.report)
                && Objects.equals(reportDigest, o.reportDigest) && Objects.equals(dataDigest, o.dataDigest);
    }

    @Override
    public int hashCode() {
        return Objects.hash(found, perClass, report, reportDigest, dataDigest);
    }
}
