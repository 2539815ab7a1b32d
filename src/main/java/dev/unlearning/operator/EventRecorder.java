package dev.unlearning.operator;

import dev.unlearning.operator.conventions.EventReason;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Emits Kubernetes Events with CamelCase reasons through one place. The same (object, reason, message) is
 * not repeated within ten minutes, so a reconcile loop cannot flood the event stream. Messages never carry
 * record ids.
 */
public class EventRecorder {

    private static final Logger LOG = Logger.getLogger(EventRecorder.class);
    private static final long QUIET_MILLIS = 10 * 60 * 1000;

    private final KubernetesClient client;
    private final Map<String, Long> recent = new ConcurrentHashMap<>();

    public EventRecorder(KubernetesClient client) {
        this.client = client;
    }

    public void normal(HasMetadata object, EventReason reason, String message) {
        emit(object, "Normal", reason.name(), message);
    }

    public void warning(HasMetadata object, EventReason reason, String message) {
        emit(object, "Warning", reason.name(), message);
    }

    private void emit(HasMetadata object, String type, String reason, String message) {
        String key = object.getMetadata().getUid() + "/" + reason + "/" + message;
        long now = System.currentTimeMillis();
        Long last = recent.get(key);
        if (last != null && now - last < QUIET_MILLIS) {
            return;
        }
        recent.put(key, now);
        if (recent.size() > 1000) {
            // Without this the memory of sent events would only ever grow (found by bench/run scale).
            recent.values().removeIf(at -> now - at >= QUIET_MILLIS);
        }
        String timestamp = Instant.ofEpochMilli(now).truncatedTo(ChronoUnit.SECONDS).toString();
        try {
            client.resource(new EventBuilder()
                    .withNewMetadata()
                        .withGenerateName(object.getMetadata().getName() + ".")
                        .withNamespace(object.getMetadata().getNamespace())
                    .endMetadata()
                    .withType(type)
                    .withReason(reason)
                    .withMessage(message.length() > 1000 ? message.substring(0, 1000) : message)
                    .withCount(1)
                    .withFirstTimestamp(timestamp)
                    .withLastTimestamp(timestamp)
                    .withNewSource().withComponent("unlearning-operator").endSource()
                    .withReportingComponent("unlearning.dev/operator")
                    .withReportingInstance(System.getenv().getOrDefault("HOSTNAME", "unlearning-operator"))
                    .withInvolvedObject(new ObjectReferenceBuilder()
                            .withApiVersion(object.getApiVersion()).withKind(object.getKind())
                            .withName(object.getMetadata().getName()).withNamespace(object.getMetadata().getNamespace())
                            .withUid(object.getMetadata().getUid()).build())
                    .build()).create();
        } catch (KubernetesClientException e) {
            // Events are best effort; a lost one must never fail a reconcile.
            LOG.warnf("could not record event %s on %s: %s", reason, object.getMetadata().getName(), e.getMessage());
        }
    }
}
