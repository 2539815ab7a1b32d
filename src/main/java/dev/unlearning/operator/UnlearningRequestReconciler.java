package dev.unlearning.operator;

import dev.unlearning.api.ShardedModel;
import dev.unlearning.api.UnlearningRequest;
import dev.unlearning.engine.unlearning.Unlearning;
import dev.unlearning.operator.status.Conditions;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Accepts and plans requests: checks the model exists in the request's namespace, works out the affected
 * shards (for record ids from placement alone; subject, label and list requests may touch every shard), and
 * watches the deadline. The model's reconciler carries the request out.
 */
@ControllerConfiguration(name = "unlearningrequest")
public class UnlearningRequestReconciler implements Reconciler<UnlearningRequest> {

    private final RequestStatusWriter writer;
    private final EventRecorder events;
    private final Clock clock;

    public UnlearningRequestReconciler(RequestStatusWriter writer, EventRecorder events, Clock clock) {
        this.writer = writer;
        this.events = events;
        this.clock = clock;
    }

    @Override
    public UpdateControl<UnlearningRequest> reconcile(UnlearningRequest request, Context<UnlearningRequest> context) {
        if (isTrue(request, RequestConditions.COMPLETE) || isTrue(request, RequestConditions.FAILED)) {
            return UpdateControl.noUpdate();
        }
        ShardedModel model = context.getClient().resources(ShardedModel.class)
                .inNamespace(request.getMetadata().getNamespace()).withName(request.getSpec().getModelRef().getName())
                .get();
        if (model == null) {
            writer.update(request, s -> writer.set(s, RequestConditions.ACCEPTED, Conditions.FALSE, "ModelNotFound",
                    "no ShardedModel " + request.getSpec().getModelRef().getName() + " in namespace "
                            + request.getMetadata().getNamespace(), request));
            events.warning(request, "ModelNotFound", "ShardedModel " + request.getSpec().getModelRef().getName()
                    + " does not exist in this namespace");
            return UpdateControl.<UnlearningRequest>noUpdate().rescheduleAfter(Duration.ofSeconds(30));
        }
        boolean firstAcceptance = !isTrue(request, RequestConditions.ACCEPTED);
        List<Integer> shards;
        try {
            shards = affectedShards(request, model, recordIdsOf(context.getClient(), request));
        } catch (IllegalArgumentException e) {
            writer.update(request, s -> writer.set(s, RequestConditions.ACCEPTED, Conditions.FALSE, "ListNotFound",
                    e.getMessage(), request));
            return UpdateControl.<UnlearningRequest>noUpdate().rescheduleAfter(Duration.ofSeconds(30));
        }
        Instant deadline = deadline(request);
        boolean late = deadline != null && Instant.now(clock).isAfter(deadline);
        writer.update(request, s -> {
            writer.set(s, RequestConditions.ACCEPTED, Conditions.TRUE, "Accepted",
                    "model " + model.getMetadata().getName() + " found", request);
            if (s.getBatch() == null) {
                s.setAffectedShards(shards);
                writer.set(s, RequestConditions.PLANNED, Conditions.TRUE, "ShardsPlanned", shards.size() + " of "
                        + model.getSpec().getSharding().getShards() + " shards hold the requested records", request);
            }
            if (late) {
                s.setDeadlineExceeded(true);
                writer.set(s, RequestConditions.DEADLINE_EXCEEDED, Conditions.TRUE, "DeadlinePassed",
                        "the deadline " + request.getSpec().getDeadline() + " passed before the request completed", request);
            }
        });
        if (firstAcceptance) {
            events.normal(request, "Accepted", shards.size() + " shard(s) affected");
        }
        if (late) {
            events.warning(request, "DeadlineExceeded", "deadline " + request.getSpec().getDeadline() + " passed");
            return UpdateControl.noUpdate();
        }
        return deadline == null ? UpdateControl.noUpdate()
                : UpdateControl.<UnlearningRequest>noUpdate().rescheduleAfter(
                        Duration.between(Instant.now(clock), deadline).plusSeconds(1));
    }

    /**
     * The record ids a request names directly or through a ConfigMap (one id per line); null for subject,
     * label and URI requests, whose records only the data can tell.
     */
    public static List<String> recordIdsOf(io.fabric8.kubernetes.client.KubernetesClient client,
            UnlearningRequest request) {
        var forget = request.getSpec().getForget();
        if (forget.getFromConfigMap() == null) {
            return forget.getRecordIds();
        }
        var ref = forget.getFromConfigMap();
        var configMap = client.configMaps().inNamespace(request.getMetadata().getNamespace()).withName(ref.getName()).get();
        String text = configMap == null || configMap.getData() == null ? null : configMap.getData().get(ref.getKey());
        if (text == null) {
            throw new IllegalArgumentException("ConfigMap " + ref.getName() + " has no key " + ref.getKey());
        }
        return text.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    }

    static List<Integer> affectedShards(UnlearningRequest request, ShardedModel model, List<String> ids) {
        int shards = model.getSpec().getSharding().getShards();
        if (ids == null) {
            return IntStream.range(0, shards).boxed().toList();
        }
        return List.copyOf(Unlearning.affectedShards(ids, model.getSpec().getTraining().getSeed(), shards,
                model.getSpec().getSharding().getSlices()));
    }

    static Instant deadline(UnlearningRequest request) {
        String deadline = request.getSpec().getDeadline();
        return deadline == null ? null : OffsetDateTime.parse(deadline).toInstant();
    }

    static boolean isTrue(UnlearningRequest request, String type) {
        return request.getStatus() != null && request.getStatus().condition(type)
                .map(c -> Conditions.TRUE.equals(c.getStatus())).orElse(false);
    }
}
