package dev.unlearning.operator.jobs;

import dev.unlearning.api.worker.WorkerInvocation;
import dev.unlearning.api.RuntimeSpec;
import dev.unlearning.api.SecretReference;
import dev.unlearning.api.ShardedModel;
import dev.unlearning.operator.config.OperatorSettings;
import dev.unlearning.store.S3BlobStore;
import dev.unlearning.api.worker.S3Environment;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What every pod of a model shares, whatever its role: the model spec file, scratch volumes for the DJL cache
 * and /tmp, claims for pvc:// locations, store and data credentials, and a non-root, read-only security context.
 */
final class PodParts {

    static final String PVC_ROOT = "/data";
    static final String JVM_OPTIONS_ENV = "JDK_JAVA_OPTIONS";

    final List<Volume> volumes = new ArrayList<>();
    final List<VolumeMount> mounts = new ArrayList<>();

    PodParts(ShardedModel model) {
        this(model, claims(model), false);
    }

    private PodParts(ShardedModel model, Set<String> claims, boolean claimsReadOnly) {
        add("model", new VolumeBuilder().withNewConfigMap().withName(ModelFiles.specConfigMap(model)).endConfigMap(),
                WorkerInvocation.MODEL_DIR, true);
        add("cache", new VolumeBuilder().withNewEmptyDir().endEmptyDir(), WorkerInvocation.CACHE_DIR, false);
        add("tmp", new VolumeBuilder().withNewEmptyDir().endEmptyDir(), "/tmp", false);
        for (String claim : claims) {
            add("pvc-" + claim, new VolumeBuilder().withNewPersistentVolumeClaim().withClaimName(claim)
                    .withReadOnly(claimsReadOnly ? true : null).endPersistentVolumeClaim(),
                    PVC_ROOT + "/" + claim, claimsReadOnly);
        }
    }

    /** A serving pod's volumes: only the store's claim, and that read-only (serving reads versions, never data). */
    static PodParts forServing(ShardedModel model) {
        Set<String> claims = new LinkedHashSet<>();
        String store = model.getSpec().getStorage() == null ? null : model.getSpec().getStorage().getUri();
        if (store != null && store.startsWith("pvc://")) {
            claims.add(claimOf(store));
        }
        return new PodParts(model, claims, true);
    }

    /**
     * A serving pod's S3 keys: those of {@code spec.serving.storageSecretRef} (read-only credentials) where given,
     * else the store's; never the dataset's, which serving does not read.
     */
    static List<EnvVar> servingSecretEnv(ShardedModel model) {
        SecretReference ref = model.getSpec().getServing().getStorageSecretRef() != null
                ? model.getSpec().getServing().getStorageSecretRef()
                : model.getSpec().getStorage() == null ? null : model.getSpec().getStorage().getSecretRef();
        return ref == null ? List.of() : keysOf(ref.getName());
    }

    void add(String name, VolumeBuilder volume, String path, boolean readOnly) {
        volumes.add(volume.withName(name).build());
        // false is the API server's default and is dropped from what it stores; sending it would make the
        // dependent's server-side-apply matcher see a difference on every reconcile (found by bench/run scale).
        mounts.add(new VolumeMountBuilder().withName(name).withMountPath(path).withReadOnly(readOnly ? true : null)
                .build());
    }

    /**
     * A pod spec with the model's scheduling (node selector, tolerations, affinity, priority), the service
     * account (the runtime's or the operator's worker account, never with a token) and the pod security
     * context; the role adds its restart policy and container.
     */
    static PodSpecBuilder scheduledPod(ShardedModel model, OperatorSettings settings) {
        RuntimeSpec runtime = runtime(model);
        return new PodSpecBuilder()
                .withServiceAccountName(runtime.getServiceAccountName() != null ? runtime.getServiceAccountName()
                        : settings.workerServiceAccount())
                .withAutomountServiceAccountToken(false)
                .withNodeSelector(runtime.getNodeSelector())
                .withTolerations(runtime.getTolerations())
                .withAffinity(runtime.getAffinity())
                .withPriorityClassName(runtime.getPriorityClassName())
                .withSecurityContext(podSecurity());
    }

    /** The role's container with the image, pull policy and security every role shares (its env: {@link #secretEnv}). */
    static ContainerBuilder container(ShardedModel model, OperatorSettings settings, String name) {
        RuntimeSpec runtime = runtime(model);
        return new ContainerBuilder()
                .withName(name)
                .withImage(runtime.getImage() != null ? runtime.getImage() : settings.workerImage())
                .withImagePullPolicy(runtime.getImagePullPolicy() != null ? runtime.getImagePullPolicy()
                        : settings.imagePullPolicy())
                .withTerminationMessagePath("/dev/termination-log")
                .withTerminationMessagePolicy("FallbackToLogsOnError")
                .withSecurityContext(containerSecurity());
    }

    static RuntimeSpec runtime(ShardedModel model) {
        return model.getSpec().getRuntime() != null ? model.getSpec().getRuntime() : new RuntimeSpec();
    }

    /** The runtime's extra labels, then the operator's own, which always win (selectors depend on them). */
    static Map<String, String> podLabels(ShardedModel model, Map<String, String> operatorLabels) {
        Map<String, String> labels = new HashMap<>();
        if (runtime(model).getLabels() != null) {
            labels.putAll(runtime(model).getLabels());
        }
        labels.putAll(operatorLabels);
        return labels;
    }

    static List<EnvVar> env(OperatorSettings settings) {
        List<EnvVar> env = new ArrayList<>();
        if (settings.ambientS3Credentials()) {
            env.add(new EnvVarBuilder().withName(S3BlobStore.AMBIENT_CREDENTIALS_ENV).withValue("true").build());
        }
        env.add(new EnvVarBuilder().withName(WorkerInvocation.ENV_TERMINATION_LOG).withValue("/dev/termination-log").build());
        env.add(new EnvVarBuilder().withName(WorkerInvocation.ENV_PVC_ROOT).withValue(PVC_ROOT).build());
        env.add(new EnvVarBuilder().withName("DJL_CACHE_DIR").withValue(WorkerInvocation.CACHE_DIR + "/djl").build());
        // s3:// datasets and id lists are downloaded here, on the pod's scratch volume.
        env.add(new EnvVarBuilder().withName(WorkerInvocation.ENV_DATA_CACHE).withValue(WorkerInvocation.CACHE_DIR + "/data").build());
        env.add(new EnvVarBuilder().withName("OPT_OUT_TRACKING").withValue("true").build());
        // Not JAVA_TOOL_OPTIONS: the images set it (-XX:MaxRAMPercentage=75 among others) and a pod's value would
        // replace theirs, leaving the heap at the JVM's default quarter of the container. The java launcher reads
        // JDK_JAVA_OPTIONS in addition, so both apply, whatever the image puts in its own.
        env.add(new EnvVarBuilder().withName(JVM_OPTIONS_ENV).withValue("-Dai.djl.offline=true").build());
        return env;
    }

    /**
     * The model's Secrets, key by key: only what the S3 client reads ({@link S3Environment#FROM_SECRETS}), each
     * optional. A later Secret's key replaces an earlier one's, as it did when Secrets were injected whole.
     */
    static List<EnvVar> secretEnv(ShardedModel model) {
        Set<String> secrets = new LinkedHashSet<>();
        if (model.getSpec().getStorage() != null && model.getSpec().getStorage().getSecretRef() != null) {
            secrets.add(model.getSpec().getStorage().getSecretRef().getName());
        }
        if (model.getSpec().getDataset() != null && model.getSpec().getDataset().getSecretRef() != null) {
            secrets.add(model.getSpec().getDataset().getSecretRef().getName());
        }
        return secrets.stream().flatMap(secret -> keysOf(secret).stream()).toList();
    }

    private static List<EnvVar> keysOf(String secret) {
        return S3Environment.FROM_SECRETS.stream()
                .map(key -> new EnvVarBuilder().withName(key).withNewValueFrom().withNewSecretKeyRef()
                        .withName(secret).withKey(key).withOptional(true).endSecretKeyRef().endValueFrom().build())
                .toList();
    }

    static SecurityContext containerSecurity() {
        return new SecurityContextBuilder()
                .withRunAsNonRoot(true)
                .withAllowPrivilegeEscalation(false)
                .withReadOnlyRootFilesystem(true)
                .withNewCapabilities().withDrop("ALL").endCapabilities()
                .build();
    }

    static PodSecurityContext podSecurity() {
        return new PodSecurityContextBuilder()
                .withRunAsNonRoot(true)
                .withRunAsUser(1000L)
                .withFsGroup(1000L)
                .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                .build();
    }

    /** Claims named by pvc:// URIs of the dataset, subject map, test data and store. */
    static Set<String> claims(ShardedModel model) {
        Set<String> claims = new LinkedHashSet<>();
        List<String> uris = new ArrayList<>();
        if (model.getSpec().getStorage() != null) {
            uris.add(model.getSpec().getStorage().getUri());
        }
        var dataset = model.getSpec().getDataset();
        if (dataset != null) {
            uris.add(dataset.getUri());
            uris.add(dataset.getSubjectMapUri());
            uris.add(dataset.getTestUri());
        }
        for (String uri : uris) {
            if (uri != null && uri.startsWith("pvc://")) {
                claims.add(claimOf(uri));
            }
        }
        return claims;
    }

    private static String claimOf(String pvcUri) {
        String rest = pvcUri.substring("pvc://".length());
        return rest.contains("/") ? rest.substring(0, rest.indexOf('/')) : rest;
    }
}
