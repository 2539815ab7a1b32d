package dev.unlearning.operator.dependent;

import dev.unlearning.operator.conventions.Labels;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.config.informer.InformerConfiguration;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResourceConfig;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResourceConfigBuilder;

/** Dependents watch only what this operator made, and of those only their own role. */
final class Informers {

    private Informers() {
    }

    static <R extends HasMetadata> KubernetesDependentResourceConfig<R> ownedWithRole(Class<R> type, String role) {
        return new KubernetesDependentResourceConfigBuilder<R>()
                .withKubernetesDependentInformerConfig(InformerConfiguration.builder(type)
                        .withLabelSelector(Labels.MANAGED_BY + "=" + Labels.OPERATOR + "," + Labels.ROLE + "=" + role)
                        .build())
                .build();
    }
}
