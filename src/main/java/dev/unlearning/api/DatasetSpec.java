package dev.unlearning.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** Location and encoding of a training set. */
public class DatasetSpec {

    @Required
    @Pattern("^(file|pvc|s3)://.+")
    @JsonPropertyDescription("file:///path, pvc://<claim>/<path> or s3://bucket/prefix.")
    private String uri;

    @Default("idx")
    @JsonPropertyDescription("idx (the MNIST file format) or csv (id,subject,label,f0..fn).")
    private DatasetFormat format = DatasetFormat.IDX;

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
}
