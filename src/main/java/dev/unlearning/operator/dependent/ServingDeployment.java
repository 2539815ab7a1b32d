package dev.unlearning.operator.dependent;

import dev.unlearning.api.ShardedModel;
import dev.unlearning.operator.jobs.ServingPods;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;

/**
 * The serving Deployment {@code <model>-serving}. A new version rolls out with maxUnavailable 0 and pods that
 * are ready only once they loaded it, so capacity never drops. Which version it serves is decided by the
 * reconciler (approvals, pins) and handed over through the reconcile context.
 */
public class ServingDeployment extends CRUDKubernetesDependentResource<Deployment, ShardedModel> {

    /** Context key of the version to serve (an Integer). */
    public static final String TARGET_VERSION = "unlearning.dev/serving-target-version";

    private final ServingPods pods;

    public ServingDeployment(ServingPods pods) {
        super(Deployment.class);
        this.pods = pods;
        configureWith(Informers.ownedWithRole(Deployment.class, ServingPods.ROLE));
    }

    public static String name(ShardedModel model) {
        return model.getMetadata().getName() + "-serving";
    }

    @Override
    protected Deployment desired(ShardedModel model, Context<ShardedModel> context) {
        int version = context.managedWorkflowAndDependentResourceContext().getMandatory(TARGET_VERSION, Integer.class);
        return new DeploymentBuilder()
                .withNewMetadata()
                    .withName(name(model))
                    .withNamespace(model.getMetadata().getNamespace())
                    .withLabels(ServingPods.labels(model))
                .endMetadata()
                .withNewSpec()
                    .withReplicas(model.getSpec().getServing().getReplicas())
                    .withNewSelector().withMatchLabels(ServingPods.selector(model)).endSelector()
                    .withNewStrategy()
                        .withType("RollingUpdate")
                        .withNewRollingUpdate()
                            .withMaxUnavailable(new IntOrString(0))
                            .withMaxSurge(new IntOrString(1))
                        .endRollingUpdate()
                    .endStrategy()
                    .withTemplate(pods.template(model, version))
                .endSpec()
                .build();
    }
}
