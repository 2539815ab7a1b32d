package dev.unlearning.operator.dependent;

import dev.unlearning.api.ShardedModel;
import dev.unlearning.operator.jobs.ServingPods;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;

/** The Service {@code <model>} in front of the serving pods. */
public class ServingService extends CRUDKubernetesDependentResource<Service, ShardedModel> {

    public ServingService() {
        super(Service.class);
        configureWith(Informers.ownedWithRole(Service.class, ServingPods.ROLE));
    }

    @Override
    protected Service desired(ShardedModel model, Context<ShardedModel> context) {
        String name = model.getMetadata().getName();
        return new ServiceBuilder()
                .withNewMetadata()
                    .withName(name)
                    .withNamespace(model.getMetadata().getNamespace())
                    .withLabels(ServingPods.labels(model))
                .endMetadata()
                .withNewSpec()
                    .withSelector(ServingPods.selector(model))
                    .addNewPort().withName("http").withPort(model.getSpec().getServing().getPort())
                        .withTargetPort(new IntOrString("http")).endPort()
                .endSpec()
                .build();
    }

}
