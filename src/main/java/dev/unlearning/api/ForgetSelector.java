package dev.unlearning.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** Which training data to forget; exactly one selector, so the request's meaning is never ambiguous. */
@ValidationRule(value = "[has(self.recordIds), has(self.subjects), has(self.labels), has(self.fromConfigMap), "
        + "has(self.fromUri), has(self.recordDigests), has(self.subjectDigests), has(self.outliers)]"
        + ".filter(x, x).size() == 1",
        message = "exactly one of recordIds, subjects, labels, fromConfigMap, fromUri, recordDigests, subjectDigests "
                + "or outliers must be set")
public class ForgetSelector {

    @Size(min = 1, max = 10000)
    @JsonPropertyDescription("Stable record ids, e.g. train-123.")
    private List<String> recordIds;

    @Size(min = 1, max = 1000)
    @JsonPropertyDescription("Data-subject ids: every record of these people is forgotten.")
    private List<String> subjects;

    @Size(min = 1, max = 1000)
    @JsonPropertyDescription("Whole classes to forget.")
    private List<@Min(0) @Max(100000) Integer> labels;

    @JsonPropertyDescription("Record ids, one per line, in a ConfigMap key: for lists too long for the spec.")
    private ConfigMapKeyReference fromConfigMap;

    @Pattern(Locations.PATTERN)
    @Size(max = 1024)
    @ValidationRule(value = Locations.NO_PARENT, message = Locations.NO_PARENT_MESSAGE)
    @JsonPropertyDescription("A file of record ids, one per line, read by the Job (file://, pvc:// or s3://).")
    private String fromUri;

    @Size(min = 1, max = 10000)
    @JsonPropertyDescription("Instead of recordIds, so no personal identifier is written down: HMAC-SHA256 of "
            + "'record:<id>' with the namespace's id-digest key (Secret unlearning-id-key), hex.")
    private List<@Pattern("^[0-9a-f]{64}$") String> recordDigests;

    @Size(min = 1, max = 1000)
    @JsonPropertyDescription("Instead of subjects: HMAC-SHA256 of 'subject:<id>' with the id-digest key, hex.")
    private List<@Pattern("^[0-9a-f]{64}$") String> subjectDigests;

    @JsonPropertyDescription("Records an outlier detector finds in the training data (poisoned or mislabelled ones); "
            + "with spec.dryRun, only reported.")
    private OutlierSelector outliers;

    public OutlierSelector getOutliers() {
        return outliers;
    }

    public void setOutliers(OutlierSelector outliers) {
        this.outliers = outliers;
    }

    public List<String> getRecordDigests() {
        return recordDigests;
    }

    public void setRecordDigests(List<String> recordDigests) {
        this.recordDigests = recordDigests;
    }

    public List<String> getSubjectDigests() {
        return subjectDigests;
    }

    public void setSubjectDigests(List<String> subjectDigests) {
        this.subjectDigests = subjectDigests;
    }

    public ConfigMapKeyReference getFromConfigMap() {
        return fromConfigMap;
    }

    public void setFromConfigMap(ConfigMapKeyReference fromConfigMap) {
        this.fromConfigMap = fromConfigMap;
    }

    public String getFromUri() {
        return fromUri;
    }

    public void setFromUri(String fromUri) {
        this.fromUri = fromUri;
    }

    public List<String> getRecordIds() {
        return recordIds;
    }

    public void setRecordIds(List<String> recordIds) {
        this.recordIds = recordIds;
    }

    public List<String> getSubjects() {
        return subjects;
    }

    public void setSubjects(List<String> subjects) {
        this.subjects = subjects;
    }

    public List<Integer> getLabels() {
        return labels;
    }

    public void setLabels(List<Integer> labels) {
        this.labels = labels;
    }
}
