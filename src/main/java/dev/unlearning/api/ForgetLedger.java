package dev.unlearning.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * What has been forgotten from one dataset, whichever model it was asked of: one object per accepted request
 * (named {@code dataset-<digest>-<request uid>}, labelled {@code unlearning.dev/dataset=<digest>}); together they
 * are the dataset's ledger. Every ShardedModel in the namespace that trains on the dataset leaves their records
 * out and tombstones them, so a model created later, renamed, re-created or moved to another store never trains
 * on them again. Written only by the operator: tenants may read ledgers but not edit or delete them.
 */
@Group(ApiGroup.NAME)
@Version(ApiGroup.VERSION)
@ShortNames({"fl", "ledger"})
@AdditionalPrinterColumn(name = "Dataset", jsonPath = ".spec.datasetUri", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class ForgetLedger extends CustomResource<ForgetLedgerSpec, Void> implements Namespaced {

    /** The ledger of a dataset has a name derived from the dataset's identity, so every writer finds the same one. */
    public static String nameFor(String datasetUri) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(
                    DatasetReference.identity(datasetUri).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return "dataset-" + java.util.HexFormat.of().formatHex(digest, 0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
