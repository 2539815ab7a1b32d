package dev.unlearning.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;

/** Defaults for the UnlearningRequests of a model. */
public class UnlearningDefaults {

    @Default("Auto")
    @JsonPropertyDescription("What requests that say Auto try first; an approximate method falls back to Exact if it "
            + "fails verification. Auto: the route for the request's kind (Exact for every kind today, README).")
    private UnlearningMethod method = UnlearningMethod.AUTO;

    @Min(0)
    @Max(86400)
    @Default("30")
    @JsonPropertyDescription("Requests arriving within this window are unlearned together in one Job.")
    private int batchingWindowSeconds = 30;

    @Pattern("^[0-9]+(s|m|h|d)$")
    @Default("24h")
    @JsonPropertyDescription("How soon after an approximate version is served its shards are retrained exactly "
            + "(earlier if a request's deadline says so), e.g. 24h, 90m, 7d. Follow-ups are coalesced for up to half "
            + "of this, then run as one Exact run.")
    private String exactWithin = "24h";

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

    public String getExactWithin() {
        return exactWithin;
    }

    public void setExactWithin(String exactWithin) {
        this.exactWithin = exactWithin;
    }
}
