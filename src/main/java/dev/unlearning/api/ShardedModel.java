package dev.unlearning.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A model trained as S isolated shards (SISA), so that forgetting a record retrains only its shard. */
@Group(ApiGroup.NAME)
@Version(ApiGroup.VERSION)
@ShortNames({"sm", "smodel"})
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Shards", jsonPath = ".spec.sharding.shards", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Version", jsonPath = ".status.published.currentVersion", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Serving", jsonPath = ".status.serving.version", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Progress", jsonPath = ".status.progress", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
@ValidationRule(value = "self.metadata.name.size() <= 30 && self.metadata.name.matches('^[a-z]([-a-z0-9]*[a-z0-9])?$')",
        message = "a ShardedModel's name is at most 30 lower-case letters, digits and '-', starting with a letter: its "
                + "Jobs (<name>-finalize-u<run>-<method>) and Service are named after it and must fit 63 characters")
public class ShardedModel extends CustomResource<ShardedModelSpec, ShardedModelStatus> implements Namespaced {

    /** True while its status is in the flat shape of an older operator, until its first reconcile moves it. */
    public boolean storedByAnOlderOperator() {
        return getStatus() != null && getStatus().hasFlatFields();
    }
}
