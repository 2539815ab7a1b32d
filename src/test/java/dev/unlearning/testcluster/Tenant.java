package dev.unlearning.testcluster;

import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

/**
 * The party a certificate holds to account: an ML team's service account with Kubernetes' own {@code edit} role in
 * its namespace (which aggregates {@code unlearning-edit}), acting through the admin's connection by impersonation.
 */
public final class Tenant {

    private Tenant() {
    }

    public static KubernetesClient editor(KubernetesClient admin, String namespace) {
        String account = "ml-team";
        admin.resource(new ServiceAccountBuilder().withNewMetadata().withName(account).withNamespace(namespace)
                .endMetadata().build()).serverSideApply();
        admin.resource(new RoleBindingBuilder().withNewMetadata().withName(account + "-edit").withNamespace(namespace)
                .endMetadata()
                .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("ClusterRole").withName("edit")
                .endRoleRef()
                .addNewSubject().withKind("ServiceAccount").withName(account).withNamespace(namespace).endSubject()
                .build()).serverSideApply();
        Config config = new ConfigBuilder(admin.getConfiguration())
                .withImpersonateUsername("system:serviceaccount:" + namespace + ":" + account)
                .withImpersonateGroups("system:serviceaccounts", "system:serviceaccounts:" + namespace,
                        "system:authenticated")
                .build();
        return new KubernetesClientBuilder().withConfig(config).build();
    }
}
