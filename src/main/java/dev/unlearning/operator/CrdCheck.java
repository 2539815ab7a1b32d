package dev.unlearning.operator;

import dev.unlearning.api.ShardedModel;
import dev.unlearning.api.UnlearningRequest;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.List;

/**
 * The operator's startup check that the cluster serves its CRDs at the version it was built for. The SDK's own
 * check is fixed when the application is built (Quarkus build-time configuration), so the chart could not turn
 * it off for namespaced installs, which may not read CRDs at all: this one is switched at run time
 * ({@code unlearning.crd-check.enabled}, env {@code UNLEARNING_CRD_CHECK_ENABLED}).
 */
public final class CrdCheck {

    static final List<Class<? extends HasMetadata>> TYPES = List.of(ShardedModel.class, UnlearningRequest.class);

    private CrdCheck() {
    }

    /** Throws, naming every CRD that is missing, unreadable or lacks the served version, and the fix. */
    public static void verify(KubernetesClient client) {
        List<String> problems = new ArrayList<>();
        for (Class<? extends HasMetadata> type : TYPES) {
            String name = HasMetadata.getFullResourceName(type);
            String version = HasMetadata.getVersion(type);
            CustomResourceDefinition crd;
            try {
                crd = client.apiextensions().v1().customResourceDefinitions().withName(name).get();
            } catch (KubernetesClientException e) {
                problems.add("cannot read CRD " + name + " (HTTP " + e.getCode() + "); an install that may not read"
                        + " CRDs (namespaced, with watchNamespaces) must set UNLEARNING_CRD_CHECK_ENABLED=false");
                continue;
            }
            if (crd == null) {
                problems.add("CRD " + name + " is missing: kubectl apply --server-side -f crds/");
            } else if (crd.getSpec().getVersions().stream()
                    .noneMatch(v -> v.getName().equals(version) && Boolean.TRUE.equals(v.getServed()))) {
                problems.add("CRD " + name + " does not serve " + version
                        + ", the version this operator reads and writes: apply the crds/ of this release");
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("the operator cannot start: " + String.join("; ", problems));
        }
    }
}
