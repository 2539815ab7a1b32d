package dev.unlearning.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A data owner's request that a ShardedModel forget some of its training data. */
@Group(ApiGroup.NAME)
@Version(ApiGroup.VERSION)
@ShortNames({"ur", "unlearn"})
@AdditionalPrinterColumn(name = "Model", jsonPath = ".spec.modelRef.name", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Dataset", jsonPath = ".spec.datasetRef.uri", type = AdditionalPrinterColumn.Type.STRING, priority = 1)
@AdditionalPrinterColumn(name = "Method", jsonPath = ".spec.method", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Complete", jsonPath = ".status.conditions[?(@.type==\"Complete\")].status", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Deadline", jsonPath = ".spec.deadline", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class UnlearningRequest extends CustomResource<UnlearningRequestSpec, UnlearningRequestStatus>
        implements Namespaced {
}
