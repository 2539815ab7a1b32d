package dev.unlearning.operator.dependent;

import dev.unlearning.api.ShardedModel;
import dev.unlearning.operator.jobs.ModelFiles;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;

/** The model's spec as a file for its worker pods (ConfigMap {@code <model>-model}). */
public class ModelSpecConfigMap extends CRUDKubernetesDependentResource<ConfigMap, ShardedModel> {

    public ModelSpecConfigMap() {
        super(ConfigMap.class);
        configureWith(Informers.ownedWithRole(ConfigMap.class, ModelFiles.SPEC_ROLE));
    }

    @Override
    protected ConfigMap desired(ShardedModel model, Context<ShardedModel> context) {
        return ModelFiles.spec(model);
    }
}
