package dev.unlearning.operator;

import dev.unlearning.api.ForgetSelector;
import dev.unlearning.api.UnlearningRequest;
import dev.unlearning.store.IdDigestKey;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;

/**
 * A request's selector as the operator passes it on to a ledger or a Job's files: record ids (inline or from a
 * ConfigMap) and subjects become keyed digests under the namespace's id-digest key, so no raw identifier is copied
 * anywhere. Labels and URIs name no person and stay as they are; the requester's own spec keeps what they wrote.
 */
public final class PrivateSelectors {

    private static final KubernetesSerialization JSON = new KubernetesSerialization();

    private PrivateSelectors() {
    }

    public static ForgetSelector of(KubernetesClient client, UnlearningRequest request, IdDigestKey key) {
        ForgetSelector forget = request.getSpec().getForget();
        List<String> records = forget.getFromConfigMap() != null ? RecordLists.recordIdsOf(client, request)
                : forget.getRecordIds();
        if (records != null) {
            ForgetSelector digested = new ForgetSelector();
            digested.setRecordDigests(List.copyOf(key.records(records)));
            return digested;
        }
        if (forget.getSubjects() != null) {
            ForgetSelector digested = new ForgetSelector();
            digested.setSubjectDigests(forget.getSubjects().stream().map(key::subject).distinct().sorted().toList());
            return digested;
        }
        return JSON.clone(forget);
    }
}
