package dev.unlearning.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** Defaults for the UnlearningRequests of a model. */
public class UnlearningDefaults {

    @Default("Auto")
    @JsonPropertyDescription("Method for requests that say Auto.")
    private UnlearningMethod method = UnlearningMethod.AUTO;

    @Min(0)
    @Max(86400)
    @Default("30")
    @JsonPropertyDescription("Requests arriving within this window are unlearned together in one Job.")
    private int batchingWindowSeconds = 30;

    public UnlearningMethod getMethod() {
        return method;
    }

    public void setMethod(UnlearningMethod method) {
        this.method = method;
    }

    public int getBatchingWindowSeconds() {
        return batchingWindowSeconds;
    }

    public void setBatchingWindowSeconds(int batchingWindowSeconds) {
        this.batchingWindowSeconds = batchingWindowSeconds;
    }
}
