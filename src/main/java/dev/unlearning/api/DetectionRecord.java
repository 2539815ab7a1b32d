package dev.unlearning.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/**
 * A dry run's detection Job and, once it ended, its report or why it failed. Kept in the model's status until the
 * request ended, as finished runs are: the request copies its outcome from here.
 */
public class DetectionRecord extends JobIdentity {

    private RunMember request;

    @JsonPropertyDescription("Set when the Job succeeded.")
    private DetectionReport report;

    @JsonPropertyDescription("CamelCase reason when the Job failed.")
    private String reason;

    private String message;

    public RunMember getRequest() {
        return request;
    }

    public void setRequest(RunMember request) {
        this.request = request;
    }

    public DetectionReport getReport() {
        return report;
    }

    public void setReport(DetectionReport report) {
        this.report = report;
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

    /** Whether the Job ended, one way or the other. */
    public boolean ended() {
        return report != null || reason != null;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof DetectionRecord o && Objects.equals(request, o.request)
                && sameJob(o) && Objects.equals(report, o.report)
                && Objects.equals(reason, o.reason) && Objects.equals(message, o.message);
    }

    @Override
    public int hashCode() {
        return Objects.hash(request, jobHash(), report, reason, message);
    }
}
