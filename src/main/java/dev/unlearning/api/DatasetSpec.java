package dev.unlearning.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** Location and encoding of a training set. */
public class DatasetSpec {

    @Required
    @Pattern(Locations.PATTERN)
    @Size(max = 1024)
    @ValidationRule(value = Locations.NO_PARENT, message = Locations.NO_PARENT_MESSAGE)
    @JsonPropertyDescription("file:///path, pvc://<claim>/<path> or s3://bucket/prefix.")
    private String uri;

    @Default("idx")
    @JsonPropertyDescription("idx (the MNIST file format), csv (id,subject,label,f0..fn) or jsonl (text records: id, subject, "
            + "text, optional question and answer; for transformer-lm).")
    private DatasetFormat format = DatasetFormat.IDX;

    @Pattern(Locations.PATTERN)
    @Size(max = 1024)
    @ValidationRule(value = Locations.NO_PARENT, message = Locations.NO_PARENT_MESSAGE)
    @JsonPropertyDescription("Optional CSV recordId,subjectId that names the data subject of each record.")
    private String subjectMapUri;

    @Pattern(Locations.PATTERN)
    @Size(max = 1024)
    @ValidationRule(value = Locations.NO_PARENT, message = Locations.NO_PARENT_MESSAGE)
    @JsonPropertyDescription("Held-out test data for csv and jsonl datasets (idx directories carry their t10k split); for jsonl, "
            + "records of subjects never trained on, the look-alikes the gate compares a forgotten subject with.")
    private String testUri;

    @JsonPropertyDescription("Secret with credentials for s3:// data (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, ...).")
    private SecretReference secretRef;

    public String getSubjectMapUri() {
        return subjectMapUri;
    }

    public void setSubjectMapUri(String subjectMapUri) {
        this.subjectMapUri = subjectMapUri;
    }

    public String getTestUri() {
        return testUri;
    }

    public void setTestUri(String testUri) {
        this.testUri = testUri;
    }

    public String getUri() {
        return uri;
    }

    public void setUri(String uri) {
        this.uri = uri;
    }

    public DatasetFormat getFormat() {
        return format;
    }

    public void setFormat(DatasetFormat format) {
        this.format = format;
    }

    public SecretReference getSecretRef() {
        return secretRef;
    }

    public void setSecretRef(SecretReference secretRef) {
        this.secretRef = secretRef;
    }
}
