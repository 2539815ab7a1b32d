package dev.unlearning.operator;

import dev.unlearning.api.UnlearningRequest;
import dev.unlearning.operator.conventions.EventReason;
import dev.unlearning.operator.conventions.RequestConditions;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;

/** {@code spec.ttlSecondsAfterFinished}: when a finished request goes, and its going. */
final class RequestExpiry {

    private final EventRecorder events;
    private final Clock clock;

    RequestExpiry(EventRecorder events, Clock clock) {
        this.events = events;
        this.clock = clock;
    }

    /**
     * A finished request with a TTL is deleted once it is due (its certificate and ledger entry stay), or looked at
     * again then.
     */
    UpdateControl<UnlearningRequest> expire(UnlearningRequest request, KubernetesClient client) {
        Integer ttl = request.getSpec().getTtlSecondsAfterFinished();
        if (ttl == null) {
            return UpdateControl.noUpdate();
        }
        Instant finished = request.getStatus().getConditions().stream()
                .filter(c -> (RequestConditions.COMPLETE.equals(c.getType())
                        || RequestConditions.FAILED.equals(c.getType()) || RequestConditions.DETECTED.equals(c.getType()))
                        && "True".equals(c.getStatus()) && c.getLastTransitionTime() != null)
                .map(c -> Instant.parse(c.getLastTransitionTime())).min(Comparator.naturalOrder())
                .orElse(Instant.now(clock));
        Duration left = Duration.between(Instant.now(clock), finished.plusSeconds(ttl));
        if (!left.isNegative() && !left.isZero()) {
            return UpdateControl.<UnlearningRequest>noUpdate().rescheduleAfter(left.plusMillis(200));
        }
        client.resource(request).delete();
        events.normal(request, EventReason.Expired, "deleted " + ttl + "s after it finished; its certificate and the "
                + "dataset ledger's entry are kept");
        return UpdateControl.noUpdate();
    }
}
