package dev.unlearning.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import java.util.List;

/**
 * One request's forget selector, kept after the request itself is deleted. A {@code fromConfigMap} list is
 * stored inline as record ids, since the requester's ConfigMap may go away. The selector's fields are kept flat
 * (not a ForgetSelector with its CEL rule) so that a ledger of many entries stays within the API server's
 * validation cost budget; only the operator writes them, from requests the CRD already validated.
 */
public class LedgerEntry {

    @Required
    @JsonPropertyDescription("The UnlearningRequest that asked, by name.")
    private String request;

    @Required
    private String requestUid;

    private String recordedAt;

    @JsonPropertyDescription("Digest of the data the request's record ids were filed against, where the model had been "
            + "trained: ids that are row positions (IDX data) are refused on data with another digest.")
    private String dataDigest;

    @JsonPropertyDescription("Id of the namespace's id-digest key the entry's record and subject digests were made "
            + "with: a training whose mounted key has another id refuses the ledger instead of matching nothing.")
    private String idKeyId;

    public String getIdKeyId() {
        return idKeyId;
    }

    public void setIdKeyId(String idKeyId) {
        this.idKeyId = idKeyId;
    }

    private List<String> recordIds;

    private List<String> subjects;

    private List<Integer> labels;

    private String fromUri;

    private List<String> recordDigests;

    private List<String> subjectDigests;

    @JsonPropertyDescription("A forget.outliers selector: later trainings run the same detection on the same data "
            + "(dataDigest) and leave out what it finds; on other data they refuse to train.")
    private RecordedOutliers outliers;

    public RecordedOutliers getOutliers() {
        return outliers;
    }

    public void setOutliers(RecordedOutliers outliers) {
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

    public String getRequest() {
        return request;
    }

    public void setRequest(String request) {
        this.request = request;
    }

    public String getRequestUid() {
        return requestUid;
    }

    public void setRequestUid(String requestUid) {
        this.requestUid = requestUid;
    }

    public String getRecordedAt() {
        return recordedAt;
    }

    public void setRecordedAt(String recordedAt) {
        this.recordedAt = recordedAt;
    }

    public String getDataDigest() {
        return dataDigest;
    }

    public void setDataDigest(String dataDigest) {
        this.dataDigest = dataDigest;
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

    public String getFromUri() {
        return fromUri;
    }

    public void setFromUri(String fromUri) {
        this.fromUri = fromUri;
    }

    /** The entry as a selector; {@code fromConfigMap} lists were inlined when it was recorded. */
    public ForgetSelector selector() {
        ForgetSelector selector = new ForgetSelector();
        selector.setRecordIds(recordIds);
        selector.setSubjects(subjects);
        selector.setLabels(labels);
        selector.setFromUri(fromUri);
        selector.setRecordDigests(recordDigests);
        selector.setSubjectDigests(subjectDigests);
        selector.setOutliers(outliers == null ? null : outliers.selector());
        return selector;
    }

    /** Copies a selector whose ConfigMap list, if any, was already inlined as record ids. */
    public void select(ForgetSelector selector) {
        if (selector.getFromConfigMap() != null) {
            throw new IllegalArgumentException("inline the fromConfigMap list before recording it");
        }
        this.recordIds = selector.getRecordIds() == null ? null : List.copyOf(selector.getRecordIds());
        this.subjects = selector.getSubjects() == null ? null : List.copyOf(selector.getSubjects());
        this.labels = selector.getLabels() == null ? null : List.copyOf(selector.getLabels());
        this.fromUri = selector.getFromUri();
        this.recordDigests = selector.getRecordDigests() == null ? null : List.copyOf(selector.getRecordDigests());
        this.subjectDigests = selector.getSubjectDigests() == null ? null : List.copyOf(selector.getSubjectDigests());
        this.outliers = selector.getOutliers() == null ? null : RecordedOutliers.of(selector.getOutliers());
    }

    /** Whether the entry selects anything at all (a ledger entry with no selector is corrupt). */
    public boolean selects() {
        return recordIds != null || subjects != null || labels != null || fromUri != null || recordDigests != null
                || subjectDigests != null || outliers != null;
    }
}
