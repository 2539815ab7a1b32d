package dev.unlearning.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** Where a request's selector was recorded against its dataset, and whether with the data's digest. */
public class LedgerRecord {

    @JsonPropertyDescription("The ForgetLedger that records this request against its dataset, in the request's namespace.")
    private String name;

    private String dataDigest;

    public LedgerRecord() {
    }

    public LedgerRecord(String name, String dataDigest) {
        this.name = name;
        this.dataDigest = dataDigest;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getDataDigest() {
        return dataDigest;
    }

    public void setDataDigest(String dataDigest) {
        this.dataDigest = dataDigest;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof LedgerRecord o && Objects.equals(name, o.name)
                && Objects.equals(dataDigest, o.dataDigest);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, dataDigest);
    }
}
