package dev.unlearning.engine.unlearning;

import dev.unlearning.api.ForgetLedger;
import dev.unlearning.api.ForgetSelector;
import dev.unlearning.api.LedgerEntry;
import dev.unlearning.engine.data.DataException;
import dev.unlearning.engine.data.Dataset;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The records a dataset's ledger says are forgotten, resolved against the data a training is about to read:
 * what every model trained on the dataset must leave out and tombstone, whichever model was asked.
 */
public final class LedgerForgets {

    private final ForgetRequests requests;

    public LedgerForgets(ForgetRequests requests) {
        this.requests = requests;
    }

    /**
     * The forgotten record ids of {@code train}. An entry that names row positions (record ids or an id list of
     * IDX data) and was filed against data with another digest is refused: on this data its positions name other
     * people's records, and the ones it meant would be trained on.
     */
    public Set<String> forgotten(ForgetLedger ledger, Dataset train, String dataDigest) throws IOException {
        if (ledger == null || ledger.getSpec() == null) {
            return Set.of();
        }
        List<ForgetSelector> selectors = new ArrayList<>();
        for (LedgerEntry entry : ledger.getSpec().getEntries()) {
            if (!entry.selects()) {
                throw new DataException("ledger " + ledger.getMetadata().getName() + ": the entry of request "
                        + entry.getRequest() + " has no selector");
            }
            if (train.ids().positional() && namesRows(entry.selector()) && entry.getDataDigest() != null
                    && !entry.getDataDigest().equals(dataDigest)) {
                throw new DataException("ledger " + ledger.getMetadata().getName() + ": request " + entry.getRequest()
                        + " named record ids of the dataset as it was (digest " + abbreviated(entry.getDataDigest())
                        + "); the data changed since (digest " + abbreviated(dataDigest) + ") and its ids are row "
                        + "positions, so they would fall on other records. Restore the data, or use a dataset with "
                        + "stable ids (CSV)");
            }
            if (entry.selector().getOutliers() != null && entry.getDataDigest() != null
                    && !entry.getDataDigest().equals(dataDigest)) {
                // On other data a detector finds other records: the ones it found then could be kept.
                throw new DataException("ledger " + ledger.getMetadata().getName() + ": request " + entry.getRequest()
                        + " forgot the outliers a detector found in the dataset as it was (digest "
                        + abbreviated(entry.getDataDigest()) + "); the data changed since (digest "
                        + abbreviated(dataDigest) + "), where it would find other records. Restore the data, or "
                        + "forget those records by id");
            }
            if (entry.getIdKeyId() != null && hasDigests(entry.selector())
                    && !entry.getIdKeyId().equals(requests.idKeyId())) {
                // Digests under another key match no record here: the records they name would be trained on.
                throw new DataException("ledger " + ledger.getMetadata().getName() + ": request " + entry.getRequest()
                        + " named its records by digests under id-digest key " + entry.getIdKeyId() + ", and the key "
                        + "mounted now is " + (requests.idKeyId() == null ? "none" : requests.idKeyId()) + ": they "
                        + "would match nothing, and the records would be trained on again. Put key "
                        + entry.getIdKeyId() + " back in Secret unlearning-id-key");
            }
            selectors.add(entry.selector());
        }
        return requests.unionOf(selectors, train).recordIds();
    }

    private static boolean hasDigests(ForgetSelector selector) {
        return selector.getRecordDigests() != null || selector.getSubjectDigests() != null;
    }

    private static boolean namesRows(ForgetSelector selector) {
        return selector.getRecordIds() != null || selector.getFromUri() != null || selector.getFromConfigMap() != null
                || selector.getRecordDigests() != null;
    }

    private static String abbreviated(String digest) {
        return digest == null ? "none" : digest.substring(0, Math.min(12, digest.length()));
    }
}
