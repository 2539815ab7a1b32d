package dev.unlearning.operator;

import dev.unlearning.api.UnlearningRequest;
import dev.unlearning.api.UnlearningRequestStatus;
import dev.unlearning.operator.status.Conditions;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.util.function.Consumer;

/**
 * Writes request status with optimistic locking. Two reconcilers touch a request's status (its own while it
 * is accepted and planned, the model's while it is carried out); a PUT that names the resourceVersion it read
 * fails on a concurrent change instead of silently dropping the other writer's conditions.
 */
public class RequestStatusWriter {

    private final KubernetesClient client;
    private final Conditions conditions;

    public RequestStatusWriter(KubernetesClient client, Clock clock) {
        this.client = client;
        this.conditions = new Conditions(clock);
    }

    public Conditions conditions() {
        return conditions;
    }

    /** Applies the change to a copy of the request and writes it if anything changed. */
    public UnlearningRequest update(UnlearningRequest request, Consumer<UnlearningRequestStatus> change) {
        UnlearningRequest copy = client.getKubernetesSerialization().clone(request);
        if (copy.getStatus() == null) {
            copy.setStatus(new UnlearningRequestStatus());
        }
        UnlearningRequestStatus before = client.getKubernetesSerialization().clone(copy.getStatus());
        change.accept(copy.getStatus());
        copy.getStatus().setObservedGeneration(copy.getMetadata().getGeneration());
        if (client.getKubernetesSerialization().asJson(before).equals(
                client.getKubernetesSerialization().asJson(copy.getStatus()))) {
            return request;
        }
        return client.resource(copy).updateStatus();
    }

    public void set(UnlearningRequestStatus status, String type, String value, String reason, String message,
            UnlearningRequest request) {
        conditions.set(status.getConditions(), type, value, reason, message, request.getMetadata().getGeneration());
    }
}
