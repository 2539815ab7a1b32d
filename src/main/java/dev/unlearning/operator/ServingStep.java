package dev.unlearning.operator;

import dev.unlearning.api.ServingSpec;
import dev.unlearning.api.ShardedModel;
import dev.unlearning.api.ShardedModelStatus;
import dev.unlearning.api.VersionRecord;
import dev.unlearning.operator.jobs.WorkerPods;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The serving Deployment and Service of a model. A new version rolls out with maxUnavailable 0, and a pod
 * is ready only once it has loaded its version, so capacity never drops; servingVersion moves only when
 * every replica runs the new version.
 */
public class ServingStep {

    private final Applier applier;
    private final WorkerPods pods;
    private final EventRecorder events;

    public ServingStep(Applier applier, WorkerPods pods, EventRecorder events) {
        this.applier = applier;
        this.pods = pods;
        this.events = events;
    }

    public static String deploymentName(ShardedModel model) {
        return model.getMetadata().getName() + "-serving";
    }

    /**
     * Returns a message when the requested version may not be served (a pinned rollback), else empty.
     * {@code live} is the Deployment as the informer last saw it.
     */
    public Optional<String> step(ShardedModel model, ShardedModelStatus status, int approvedVersion,
            Optional<Deployment> live) {
        ServingSpec serving = model.getSpec().getServing();
        if (status.getCurrentVersion() == null) {
            return Optional.empty();
        }
        int target = approvedVersion;
        Optional<String> refusal = Optional.empty();
        if (serving.getPinnedVersion() != null) {
            refusal = refuseRollback(status, serving.getPinnedVersion());
            if (refusal.isEmpty()) {
                target = serving.getPinnedVersion();
            } else {
                events.warning(model, "RollbackRefused", refusal.get());
            }
        }
        String namespace = model.getMetadata().getNamespace();
        int port = serving.getPort();
        applier.apply(service(model, port));
        Deployment applied = applier.apply(deployment(model, target), live);
        status.setEndpoint("http://" + model.getMetadata().getName() + "." + namespace + ".svc:" + port
                + "/v2/models/" + model.getMetadata().getName());
        if (rolledOut(applied, target)) {
            if (!Integer.valueOf(target).equals(status.getServingVersion())) {
                events.normal(model, "RolledOut", "serving runs version " + target);
            }
            status.setServingVersion(target);
        }
        return refusal;
    }

    /** A version that a later unlearning version superseded still holds the records that one forgot. */
    static Optional<String> refuseRollback(ShardedModelStatus status, int pinned) {
        for (VersionRecord v : status.getVersions()) {
            if (v.getVersion() > pinned && v.getCause() != null && v.getCause().startsWith("unlearn")) {
                return Optional.of("version " + pinned + " still holds records that version " + v.getVersion()
                        + " forgot; serving it is refused");
            }
        }
        if (status.getCurrentVersion() != null && pinned > status.getCurrentVersion()) {
            return Optional.of("version " + pinned + " does not exist yet");
        }
        return Optional.empty();
    }

    static boolean rolledOut(Deployment d, int version) {
        if (d == null || d.getStatus() == null || d.getStatus().getObservedGeneration() == null) {
            return false;
        }
        int replicas = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
        var s = d.getStatus();
        return s.getObservedGeneration() >= d.getMetadata().getGeneration()
                && String.valueOf(version).equals(d.getSpec().getTemplate().getMetadata().getAnnotations().get(Labels.VERSION))
                && value(s.getUpdatedReplicas()) == replicas && value(s.getAvailableReplicas()) == replicas
                && value(s.getReplicas()) == replicas;
    }

    private static int value(Integer i) {
        return i == null ? 0 : i;
    }

    Deployment deployment(ShardedModel model, int version) {
        ServingSpec serving = model.getSpec().getServing();
        String name = model.getMetadata().getName();
        Map<String, String> selector = Map.of(Labels.MODEL, name, Labels.ROLE, "serve");
        PodTemplateSpec template = pods.template(model, Map.of(Labels.MANAGED_BY, Labels.OPERATOR, Labels.MODEL, name,
                Labels.ROLE, "serve", Labels.RUN, "serving"), List.of("serve", "--model", WorkerPods.MODEL_FILE,
                "--version", Integer.toString(version), "--port", Integer.toString(serving.getPort())), null, false, false);
        template.getMetadata().setAnnotations(Map.of(Labels.VERSION, Integer.toString(version)));
        var spec = template.getSpec();
        spec.setRestartPolicy("Always");
        var container = new ContainerBuilder(spec.getContainers().get(0))
                .withName("server")
                .withResources(serving.getResources())
                .addNewPort().withName("http").withContainerPort(serving.getPort()).endPort()
                .addNewPort().withName("metrics").withContainerPort(9090).endPort()
                .addNewEnv().withName("QUARKUS_HTTP_PORT").withValue("9090").endEnv()
                .withNewReadinessProbe()
                    .withNewHttpGet().withPath("/v2/health/ready").withPort(new IntOrString("http")).endHttpGet()
                    .withPeriodSeconds(5)
                .endReadinessProbe()
                .withNewLivenessProbe()
                    .withNewHttpGet().withPath("/v2/health/live").withPort(new IntOrString("http")).endHttpGet()
                    .withPeriodSeconds(10).withFailureThreshold(6)
                .endLivenessProbe()
                .build();
        container.getEnv().removeIf(e -> "UNLEARNING_THREADS".equals(e.getName()));
        spec.setContainers(List.of(container));
        return new DeploymentBuilder()
                .withMetadata(dev.unlearning.operator.jobs.ModelFiles.owned(model, deploymentName(model),
                        Map.of(Labels.MANAGED_BY, Labels.OPERATOR, Labels.MODEL, name, Labels.ROLE, "serve")))
                .withNewSpec()
                    .withReplicas(serving.getReplicas())
                    .withNewSelector().withMatchLabels(selector).endSelector()
                    .withNewStrategy()
                        .withType("RollingUpdate")
                        .withNewRollingUpdate()
                            .withMaxUnavailable(new IntOrString(0))
                            .withMaxSurge(new IntOrString(1))
                        .endRollingUpdate()
                    .endStrategy()
                    .withTemplate(template)
                .endSpec()
                .build();
    }

    private io.fabric8.kubernetes.api.model.Service service(ShardedModel model, int port) {
        String name = model.getMetadata().getName();
        return new ServiceBuilder()
                .withMetadata(dev.unlearning.operator.jobs.ModelFiles.owned(model, name,
                        Map.of(Labels.MANAGED_BY, Labels.OPERATOR, Labels.MODEL, name, Labels.ROLE, "serve")))
                .withNewSpec()
                    .withSelector(Map.of(Labels.MODEL, name, Labels.ROLE, "serve"))
                    .addNewPort().withName("http").withPort(port).withTargetPort(new IntOrString("http")).endPort()
                .endSpec()
                .build();
    }
}
