package dev.unlearning.operator;

import dev.unlearning.api.ConfigMapKeyReference;
import dev.unlearning.api.UnlearningRequest;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;

/** Record-id lists that requests name in a ConfigMap of their own namespace. */
public final class RecordLists {

    private RecordLists() {
    }

    /**
     * The record ids a request names directly or through a ConfigMap (one id per line, # comments); null for
     * subject, label and URI requests, whose records only the data can tell.
     *
     * @throws IllegalArgumentException naming the ConfigMap and key when the list is missing
     */
    public static List<String> recordIdsOf(KubernetesClient client, UnlearningRequest request) {
        var forget = request.getSpec().getForget();
        if (forget.getFromConfigMap() == null) {
            return forget.getRecordIds();
        }
        ConfigMapKeyReference ref = forget.getFromConfigMap();
        ConfigMap configMap = client.configMaps().inNamespace(request.getMetadata().getNamespace())
                .withName(ref.getName()).get();
        String text = configMap == null || configMap.getData() == null ? null : configMap.getData().get(ref.getKey());
        if (text == null) {
            throw new IllegalArgumentException("ConfigMap " + ref.getName() + " has no key " + ref.getKey());
        }
        return text.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    }
}
