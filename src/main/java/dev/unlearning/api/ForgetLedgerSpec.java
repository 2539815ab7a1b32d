package dev.unlearning.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import java.util.ArrayList;
import java.util.List;

/** The dataset a ledger is about and one entry per request that asked to forget from it. */
public class ForgetLedgerSpec {

    @Required
    @JsonPropertyDescription("The dataset's identity: its URI without trailing slashes.")
    private String datasetUri;

    @JsonPropertyDescription("One entry per UnlearningRequest, in the order they were accepted; never removed.")
    private List<LedgerEntry> entries = new ArrayList<>();

    public String getDatasetUri() {
        return datasetUri;
    }

    public void setDatasetUri(String datasetUri) {
        this.datasetUri = datasetUri;
    }

    public List<LedgerEntry> getEntries() {
        return entries;
    }

    public void setEntries(List<LedgerEntry> entries) {
        this.entries = entries;
    }
}
