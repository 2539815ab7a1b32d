package dev.unlearning.operator;

import dev.unlearning.operator.conventions.Labels;
import dev.unlearning.api.ModelProgress;
import dev.unlearning.api.ModelReference;
import dev.unlearning.api.UnlearningRequest;
import dev.unlearning.operator.planning.Approval;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.net.HttpURLConnection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Carries out a datasetRef request as one ordinary request per model, owned by it: each goes through the
 * model's own planning, gate, certificate, rollout and erasure, and reports in its own status. A rollout
 * approval given on the dataset request is passed on to every one of them.
 */
public class DatasetFanOut {

    private static final KubernetesSerialization JSON = new KubernetesSerialization();

    private final KubernetesClient client;

    public DatasetFanOut(KubernetesClient client) {
        this.client = client;
    }

    public void ensure(UnlearningRequest parent, List<ModelProgress> models, List<UnlearningRequest> children) {
        Map<String, UnlearningRequest> existing = children.stream()
                .collect(Collectors.toMap(c -> c.getMetadata().getName(), c -> c, (a, b) -> a));
        String approval = annotation(parent);
        for (ModelProgress progress : models) {
            UnlearningRequest child = existing.get(progress.getRequest());
            if (child == null) {
                create(child(parent, progress));
            } else if (approval != null && !approval.equals(annotation(child))) {
                client.resource(child).edit(c -> {
                    Map<String, String> annotations = new HashMap<>(Optional.ofNullable(c.getMetadata()
                            .getAnnotations()).orElse(Map.of()));
                    annotations.put(Approval.ANNOTATION, approval);
                    c.getMetadata().setAnnotations(annotations);
                    return c;
                });
            }
        }
    }

    static UnlearningRequest child(UnlearningRequest parent, ModelProgress progress) {
        UnlearningRequest child = new UnlearningRequest();
        var metadata = new ObjectMetaBuilder()
                .withName(progress.getRequest())
                .withNamespace(parent.getMetadata().getNamespace())
                .addToLabels(Labels.MANAGED_BY, Labels.OPERATOR)
                .addToLabels(Labels.DATASET_REQUEST, parent.getMetadata().getUid())
                .addNewOwnerReference()
                    .withApiVersion(parent.getApiVersion())
                    .withKind(parent.getKind())
                    .withName(parent.getMetadata().getName())
                    .withUid(parent.getMetadata().getUid())
                    .withController(true)
                .endOwnerReference();
        String approval = annotation(parent);
        if (approval != null) {
            metadata.addToAnnotations(Approval.ANNOTATION, approval);
        }
        child.setMetadata(metadata.build());
        var spec = JSON.clone(parent.getSpec());
        spec.setDatasetRef(null);
        // A per-model request lives as long as the dataset request that reports it (its owner's TTL covers both).
        spec.setTtlSecondsAfterFinished(null);
        ModelReference model = new ModelReference();
        model.setName(progress.getModel());
        spec.setModelRef(model);
        child.setSpec(spec);
        return child;
    }

    /** Whether a request was made by a dataset request (and so is not recorded in the ledger on its own). */
    public static boolean isChild(UnlearningRequest request) {
        return request.getMetadata().getLabels() != null
                && request.getMetadata().getLabels().containsKey(Labels.DATASET_REQUEST);
    }

    private void create(UnlearningRequest child) {
        try {
            client.resource(child).create();
        } catch (KubernetesClientException e) {
            // Created by an earlier pass whose status write was lost: the informer shows it next.
            if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                throw e;
            }
        }
    }

    private static String annotation(UnlearningRequest request) {
        return Optional.ofNullable(request.getMetadata().getAnnotations()).map(a -> a.get(Approval.ANNOTATION))
                .orElse(null);
    }
}
