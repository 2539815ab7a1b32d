package dev.unlearning.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** Names a training set by the URI that ShardedModels read it from ({@code spec.dataset.uri}). */
public class DatasetReference {

    @Required
    @Pattern(Locations.PATTERN)
    @Size(max = 1024)
    @ValidationRule(value = Locations.NO_PARENT, message = Locations.NO_PARENT_MESSAGE)
    @JsonPropertyDescription("The dataset URI, as ShardedModels in this namespace name it in spec.dataset.uri.")
    private String uri;

    public DatasetReference() {
    }

    public DatasetReference(String uri) {
        this.uri = uri;
    }

    public String getUri() {
        return uri;
    }

    public void setUri(String uri) {
        this.uri = uri;
    }

    /** The identity of a dataset: its URI without trailing slashes, so {@code dir/} and {@code dir} agree. */
    public static String identity(String uri) {
        String trimmed = uri.strip();
        while (trimmed.endsWith("/") && !trimmed.endsWith("://")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return trimmed;
    }
}
