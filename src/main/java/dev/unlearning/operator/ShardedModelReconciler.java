package dev.unlearning.operator;

import dev.unlearning.api.ShardedModel;
import dev.unlearning.api.ShardedModelStatus;
import dev.unlearning.api.UnlearningRequest;
import dev.unlearning.operator.jobs.ModelFiles;
import dev.unlearning.operator.status.Conditions;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Thin controller for ShardedModel: observe (requests, Jobs, Deployment), then delegate to the training,
 * unlearning and serving steps, then record one status with conditions. Every step is idempotent and keeps
 * its progress in status, so an operator restart resumes where it stopped.
 */
@ControllerConfiguration(name = "shardedmodel")
public class ShardedModelReconciler implements Reconciler<ShardedModel> {

    private final KubernetesClient client;
    private final Applier applier;
    private final Jobs jobs;
    private final TrainingStep training;
    private final UnlearningStep unlearning;
    private final ServingStep serving;
    private final Conditions conditions;

    public ShardedModelReconciler(KubernetesClient client, Applier applier, Jobs jobs, TrainingStep training,
            UnlearningStep unlearning, ServingStep serving, Clock clock) {
        this.client = client;
        this.applier = applier;
        this.jobs = jobs;
        this.training = training;
        this.unlearning = unlearning;
        this.serving = serving;
        this.conditions = new Conditions(clock);
    }

    @Override
    public List<EventSource<?, ShardedModel>> prepareEventSources(EventSourceContext<ShardedModel> context) {
        var jobSource = new InformerEventSource<>(InformerEventSourceConfiguration.from(Job.class, ShardedModel.class)
                .withLabelSelector(Labels.MANAGED_BY + "=" + Labels.OPERATOR).build(), context);
        jobs.readThrough(jobSource::get);
        var deployments = new InformerEventSource<>(InformerEventSourceConfiguration
                .from(Deployment.class, ShardedModel.class)
                .withLabelSelector(Labels.MANAGED_BY + "=" + Labels.OPERATOR).build(), context);
        var requests = new InformerEventSource<>(InformerEventSourceConfiguration
                .from(UnlearningRequest.class, ShardedModel.class)
                .withSecondaryToPrimaryMapper(r -> Set.of(new ResourceID(r.getSpec().getModelRef().getName(),
                        r.getMetadata().getNamespace())))
                .build(), context);
        return List.of(jobSource, deployments, requests);
    }

    @Override
    public UpdateControl<ShardedModel> reconcile(ShardedModel model, Context<ShardedModel> context) {
        ShardedModelStatus status = model.getStatus() == null ? new ShardedModelStatus()
                : client.getKubernetesSerialization().clone(model.getStatus());
        List<UnlearningRequest> requests = context.getSecondaryResources(UnlearningRequest.class).stream()
                .filter(r -> model.getMetadata().getName().equals(r.getSpec().getModelRef().getName()))
                .toList();

        org.jboss.logging.Logger.getLogger(getClass()).debugf("reconcile %s: training=%s batch=%s",
                model.getMetadata().getName(), status.getTraining() == null ? null : status.getTraining().getPhase(),
                status.getActiveBatch() == null ? null : status.getActiveBatch().getPhase() + "/" + status.getActiveBatch().getJobName());
        applier.apply(ModelFiles.spec(model));
        boolean trainingRunning = training.step(model, status);
        Optional<Duration> wake = unlearning.step(model, status, requests);
        Optional<String> servingProblem = serving.step(model, status, status.getCurrentVersion() == null ? 0
                : unlearning.approvedVersion(status, requests), context.getSecondaryResource(Deployment.class));
        unlearning.completeRollouts(model, status, requests);
        aggregate(model, status, trainingRunning, servingProblem);

        status.setObservedGeneration(model.getMetadata().getGeneration());
        UpdateControl<ShardedModel> control = sameJson(status, model.getStatus()) ? UpdateControl.noUpdate()
                : UpdateControl.patchStatus(statusPatch(model, status));
        return wake.map(control::rescheduleAfter).orElse(control);
    }

    private void aggregate(ShardedModel model, ShardedModelStatus status, boolean trainingRunning,
            Optional<String> servingProblem) {
        long generation = model.getMetadata().getGeneration();
        var list = status.getConditions();
        if (trainingRunning) {
            conditions.set(list, ModelConditions.TRAINING, Conditions.TRUE, status.getTraining().getPhase(),
                    "Job " + status.getTraining().getJobName(), generation);
        } else {
            boolean failed = status.getTraining() != null && TrainingStep.FAILED.equals(status.getTraining().getPhase());
            conditions.set(list, ModelConditions.TRAINING, Conditions.FALSE, failed ? "TrainingFailed" : "Idle",
                    failed ? status.getLastFailure() : "no training in progress", generation);
        }
        var batch = status.getActiveBatch();
        conditions.set(list, ModelConditions.UNLEARNING, batch != null ? Conditions.TRUE : Conditions.FALSE,
                batch != null ? "RunInProgress" : "Idle", batch != null ? "run " + batch.getId() + " ("
                        + batch.getMethod() + ", " + batch.getRequests().size() + " request(s)) is " + batch.getPhase()
                        : "no unlearning in progress", generation);
        String degraded = servingProblem.orElse(status.getLastFailure());
        conditions.set(list, ModelConditions.DEGRADED, degraded != null ? Conditions.TRUE : Conditions.FALSE,
                servingProblem.isPresent() ? "RollbackRefused" : degraded != null ? "RunFailed" : "Healthy",
                degraded != null ? degraded : "no failures", generation);
        boolean noServing = model.getSpec().getServing().getReplicas() == 0;
        if (status.getCurrentVersion() == null) {
            conditions.set(list, ModelConditions.READY, Conditions.FALSE, "AwaitingTraining",
                    "no version has been trained yet", generation);
        } else if (noServing || status.getServingVersion() != null) {
            conditions.set(list, ModelConditions.READY, Conditions.TRUE, noServing ? "Published" : "Serving",
                    noServing ? "version " + status.getCurrentVersion() + " is published (serving disabled)"
                            : "serving version " + status.getServingVersion(), generation);
        } else {
            conditions.set(list, ModelConditions.READY, Conditions.FALSE, "RollingOut",
                    "waiting for the serving Deployment to run version " + status.getCurrentVersion(), generation);
        }
    }

    private boolean sameJson(ShardedModelStatus a, ShardedModelStatus b) {
        return b != null && client.getKubernetesSerialization().asJson(a).equals(client.getKubernetesSerialization().asJson(b));
    }

    private static ShardedModel statusPatch(ShardedModel model, ShardedModelStatus status) {
        ShardedModel patch = new ShardedModel();
        patch.setMetadata(new ObjectMetaBuilder().withName(model.getMetadata().getName())
                .withNamespace(model.getMetadata().getNamespace()).build());
        patch.setStatus(status);
        return patch;
    }
}
