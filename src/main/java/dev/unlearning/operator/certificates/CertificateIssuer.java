package dev.unlearning.operator.certificates;

import dev.unlearning.api.BatchRun;
import dev.unlearning.api.CertificateReference;
import dev.unlearning.api.ErasureRun;
import dev.unlearning.api.ShardedModel;
import dev.unlearning.api.VerificationSpec;
import dev.unlearning.api.worker.ErasureResult;
import dev.unlearning.api.worker.FinalizeResult;
import dev.unlearning.api.worker.WorkerInvocation;
import dev.unlearning.operator.conventions.Labels;
import dev.unlearning.store.Digests;
import dev.unlearning.store.attestation.Dsse;
import dev.unlearning.store.attestation.Provenance;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;

/**
 * Signs what a run did, as the operator knows it: an in-toto Statement in a DSSE envelope, signed with the
 * operator's Ed25519 key (which no worker pod ever sees), naming the namespace, model UID, requests, method,
 * versions, the gate's thresholds and measured values, the tombstone-set digest and the worker's evidence in the
 * store by digest. Each certificate is a ConfigMap in the model's namespace with no owner, so it outlives the
 * request and the model. The keys to check it with are published in the operator's own namespace
 * ({@link TrustedKeysPublisher}), never in the tenant's, where the tenant could add its own.
 */
public class CertificateIssuer {

    public static final String CERTIFICATE_FILE = "certificate.json";
    public static final String CERTIFICATE_ROLE = "certificate";

    private final KubernetesClient client;
    private final CertificateKeys keys;
    private final TrustedKeysPublisher trusted;
    private final String operatorNamespace;
    private final Clock clock;

    public CertificateIssuer(KubernetesClient client, CertificateKeys keys, TrustedKeysPublisher trusted,
            String operatorNamespace, Clock clock) {
        this.client = client;
        this.keys = keys;
        this.trusted = trusted;
        this.operatorNamespace = operatorNamespace;
        this.clock = clock;
    }

    /**
     * Workers run in the model's own namespace, so every certificate says the tenant could have influenced the
     * run; the runner is this operator, by name and namespace.
     */
    private Provenance provenance(ShardedModel model) {
        return new Provenance(Provenance.TENANT_NAMESPACE, Labels.OPERATOR + "@" + operatorNamespace,
                model.getMetadata().getNamespace());
    }

    /**
     * The model's name, the run, and the first characters of the model's uid: run ids start over when a model is
     * deleted and created again, and its certificates must not be overwritten by the new model's.
     */
    public static String configMapName(ShardedModel model, String id) {
        String prefix = WorkerInvocation.uidPrefix(model.getMetadata().getUid());
        return model.getMetadata().getName() + "-certificate-" + id + (prefix.isEmpty() ? "" : "-" + prefix);
    }

    /** The certificate of a published unlearning run. */
    public CertificateReference unlearning(ShardedModel model, BatchRun run, FinalizeResult result, VerificationSpec gate) {
        return issue(model, run.getId() + "-" + result.method().name().toLowerCase().replace("_", ""),
                CertificateStatements.unlearning(model, run, result, gate, Instant.now(clock), provenance(model)),
                result.certificateLocation(), result.certificateDigest());
    }

    /** The certificate of an erasure around the served version (whose ensemble digest the caller knows). */
    public CertificateReference erasure(ShardedModel model, ErasureRun run, ErasureResult result, String servedDigest) {
        return issue(model, run.getId(), CertificateStatements.erasure(model, run, result, servedDigest,
                Instant.now(clock), provenance(model)), result.certificateLocation(), result.certificateDigest());
    }

    private CertificateReference issue(ShardedModel model, String id, byte[] statement, String evidenceLocation,
            String evidenceDigest) {
        CertificateKeys.Loaded key = keys.get();
        byte[] envelope = Dsse.sign(Dsse.IN_TOTO, statement, key.activeId(), key.active()).toJson();
        String name = configMapName(model, id);
        ConfigMap configMap = new ConfigMapBuilder()
                .withNewMetadata().withName(name).withNamespace(model.getMetadata().getNamespace())
                    .withLabels(Labels.of(model.getMetadata().getName(), id, CERTIFICATE_ROLE)).endMetadata()
                .withData(Map.of(CERTIFICATE_FILE, new String(envelope, StandardCharsets.UTF_8)))
                .build();
        client.resource(configMap).forceConflicts().serverSideApply();
        trusted.publish();
        CertificateReference reference = new CertificateReference();
        reference.setLocation("configmap/" + name);
        reference.setDigest(Digests.sha256(envelope));
        reference.setKeyId(key.activeId());
        reference.setEvidenceLocation(evidenceLocation);
        reference.setEvidenceDigest(evidenceDigest);
        return reference;
    }

}
