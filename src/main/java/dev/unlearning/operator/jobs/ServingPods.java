package dev.unlearning.operator.jobs;

import dev.unlearning.api.worker.WorkerInvocation;
import dev.unlearning.api.ServingSpec;
import dev.unlearning.api.ShardedModel;
import dev.unlearning.operator.conventions.Labels;
import dev.unlearning.operator.config.OperatorSettings;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The pod template of the serving role: the shared parts of every model pod, the version it serves as an
 * annotation, ports, probes that pass only once the version is loaded, and the serving resources
 * ({@link ServingResources}: the model's, or defaults).
 */
public final class ServingPods {

    public static final String ROLE = "serve";

    private final OperatorSettings settings;

    public ServingPods(OperatorSettings settings) {
        this.settings = settings;
    }

    /** Labels of the serving Deployment, Service and pods. */
    public static Map<String, String> labels(ShardedModel model) {
        return Map.of(Labels.MANAGED_BY, Labels.OPERATOR, Labels.MODEL, model.getMetadata().getName(),
                Labels.ROLE, ROLE);
    }

    public static Map<String, String> selector(ShardedModel model) {
        return Map.of(Labels.MODEL, model.getMetadata().getName(), Labels.ROLE, ROLE);
    }

    public PodTemplateSpec template(ShardedModel model, int version) {
        ServingSpec serving = model.getSpec().getServing();
        PodParts parts = PodParts.forServing(model);
        Map<String, String> labels = new HashMap<>(labels(model));
        labels.put(Labels.RUN, "serving");
        List<EnvVar> env = PodParts.env(settings);
        env.add(new EnvVarBuilder().withName("QUARKUS_HTTP_PORT").withValue("9090").build());
        if (serving.getBearerTokenSecretRef() != null) {
            // Not optional: a pod whose token Secret is missing must not start and serve without it.
            env.add(new EnvVarBuilder().withName(WorkerInvocation.ENV_SERVING_TOKEN).withNewValueFrom()
                    .withNewSecretKeyRef().withName(serving.getBearerTokenSecretRef().getName()).withKey("token")
                    .endSecretKeyRef().endValueFrom().build());
        }
        return new PodTemplateSpecBuilder()
                .withNewMetadata()
                    .withLabels(PodParts.podLabels(model, labels))
                    .withAnnotations(Map.of(Labels.VERSION, Integer.toString(version)))
                .endMetadata()
                .withSpec(PodParts.scheduledPod(model, settings)
                        .withRestartPolicy("Always")
                        .withContainers(PodParts.container(model, settings, "server")
                                .withArgs(WorkerInvocation.serve(version, serving.getPort()))
                                .withEnv(env).addAllToEnv(PodParts.servingSecretEnv(model))
                                .withResources(ServingResources.of(serving))
                                .addNewPort().withName("http").withContainerPort(serving.getPort()).endPort()
                                .addNewPort().withName("metrics").withContainerPort(9090).endPort()
                                .withVolumeMounts(parts.mounts)
                                .withNewReadinessProbe()
                                    .withNewHttpGet().withPath("/v2/health/ready").withPort(new IntOrString("http"))
                                    .endHttpGet()
                                    .withPeriodSeconds(5)
                                .endReadinessProbe()
                                .withNewLivenessProbe()
                                    .withNewHttpGet().withPath("/v2/health/live").withPort(new IntOrString("http"))
                                    .endHttpGet()
                                    .withPeriodSeconds(10).withFailureThreshold(6)
                                .endLivenessProbe()
                                .build())
                        .withVolumes(parts.volumes)
                        .build())
                .build();
    }
}
