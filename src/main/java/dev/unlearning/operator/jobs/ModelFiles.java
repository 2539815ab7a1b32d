package dev.unlearning.operator.jobs;

import dev.unlearning.api.worker.WorkerInvocation;
import dev.unlearning.api.ForgetLedger;
import dev.unlearning.api.ForgetSelector;
import dev.unlearning.api.ShardedModel;
import dev.unlearning.api.UnlearningRequest;
import dev.unlearning.operator.conventions.Labels;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The CRs a worker reads, as files: the model (name and spec, no status) and the requests of an unlearning
 * run. Workers parse them with the same types the CRDs come from, so a Job does exactly what the CR says.
 */
public final class ModelFiles {

    private static final KubernetesSerialization YAML = new KubernetesSerialization();

    private ModelFiles() {
    }

    /** The role label of the spec ConfigMap, which its dependent watches by. */
    public static final String SPEC_ROLE = "spec";

    public static String specConfigMap(ShardedModel model) {
        return model.getMetadata().getName() + "-model";
    }

    public static ConfigMap spec(ShardedModel model) {
        ShardedModel copy = new ShardedModel();
        copy.setMetadata(new ObjectMetaBuilder().withName(model.getMetadata().getName())
                .withNamespace(model.getMetadata().getNamespace()).withUid(model.getMetadata().getUid())
                .withGeneration(model.getMetadata().getGeneration()).build());
        copy.setSpec(model.getSpec());
        return new ConfigMapBuilder()
                .withNewMetadata()
                    .withName(specConfigMap(model))
                    .withNamespace(model.getMetadata().getNamespace())
                    .withLabels(Labels.of(model.getMetadata().getName(), SPEC_ROLE, SPEC_ROLE))
                .endMetadata()
                .withData(Map.of("model.yaml", YAML.asYaml(copy)))
                .build();
    }

    /**
     * One file per request, named after it, with the selector {@code selectors} makes of it: the operator's
     * digested one, so the files hold no raw id and worker pods need no access to the requester's ConfigMaps.
     */
    public static ConfigMap requests(ShardedModel model, String name, String run, List<UnlearningRequest> requests,
            Function<UnlearningRequest, ForgetSelector> selectors) {
        Map<String, String> files = new LinkedHashMap<>();
        for (UnlearningRequest request : requests) {
            UnlearningRequest copy = new UnlearningRequest();
            copy.setMetadata(new ObjectMetaBuilder().withName(request.getMetadata().getName())
                    .withNamespace(request.getMetadata().getNamespace()).withUid(request.getMetadata().getUid()).build());
            copy.setSpec(YAML.clone(request.getSpec()));
            copy.getSpec().setForget(selectors.apply(request));
            files.put(request.getMetadata().getName() + ".yaml", YAML.asYaml(copy));
        }
        return new ConfigMapBuilder()
                .withMetadata(owned(model, name, Labels.of(model.getMetadata().getName(), run, "requests")))
                .withData(files)
                .build();
    }


    /** A training run's copy of the dataset's ledger, as it was when the run started. */
    public static ConfigMap ledger(ShardedModel model, String name, String run, ForgetLedger ledger) {
        ForgetLedger copy = new ForgetLedger();
        copy.setMetadata(new ObjectMetaBuilder().withName(ledger.getMetadata().getName())
                .withNamespace(ledger.getMetadata().getNamespace()).build());
        copy.setSpec(ledger.getSpec());
        return new ConfigMapBuilder()
                .withMetadata(owned(model, name, Labels.of(model.getMetadata().getName(), run, "ledger")))
                .withData(Map.of(WorkerInvocation.LEDGER_FILE, YAML.asYaml(copy)))
                .build();
    }

    public static ObjectMeta owned(ShardedModel model, String name, Map<String, String> labels) {
        return new ObjectMetaBuilder()
                .withName(name)
                .withNamespace(model.getMetadata().getNamespace())
                .withLabels(labels)
                .addNewOwnerReference()
                    .withApiVersion(model.getApiVersion())
                    .withKind(model.getKind())
                    .withName(model.getMetadata().getName())
                    .withUid(model.getMetadata().getUid())
                    .withController(true)
                    .withBlockOwnerDeletion(true)
                .endOwnerReference()
                .build();
    }
}
