package dev.unlearning.operator.jobs;

import dev.unlearning.api.RuntimeSpec;
import dev.unlearning.api.ShardedModel;
import dev.unlearning.operator.OperatorSettings;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
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
 * The pod template every worker role shares: the model's runtime settings (image, GPUs, scheduling), a
 * non-root read-only container, the model spec and request files from ConfigMaps, the store and data
 * credentials from Secrets, claims for pvc:// locations, and the termination-message file for results.
 */
public final class WorkerPods {

    public static final String MODEL_FILE = "/etc/unlearning/model/model.yaml";
    public static final String REQUESTS_DIR = "/etc/unlearning/requests";
    public static final String CERTIFICATE_KEY_FILE = "/etc/unlearning/certificate/key";
    static final String PVC_ROOT = "/data";

    private final OperatorSettings settings;

    public WorkerPods(OperatorSettings settings) {
        this.settings = settings;
    }

    public PodTemplateSpec template(ShardedModel model, Map<String, String> labels, List<String> args,
            String requestsConfigMap, boolean gpu, boolean certificateKey) {
        RuntimeSpec runtime = model.getSpec().getRuntime() != null ? model.getSpec().getRuntime() : new RuntimeSpec();
        Map<String, String> podLabels = new HashMap<>(labels);
        if (runtime.getLabels() != null) {
            podLabels.putAll(runtime.getLabels());
        }
        List<Volume> volumes = new ArrayList<>();
        List<VolumeMount> mounts = new ArrayList<>();
        volumes.add(new VolumeBuilder().withName("model").withNewConfigMap()
                .withName(ModelFiles.specConfigMap(model)).endConfigMap().build());
        mounts.add(mount("model", "/etc/unlearning/model", true));
        volumes.add(new VolumeBuilder().withName("cache").withNewEmptyDir().endEmptyDir().build());
        mounts.add(mount("cache", "/var/cache/unlearning", false));
        volumes.add(new VolumeBuilder().withName("tmp").withNewEmptyDir().endEmptyDir().build());
        mounts.add(mount("tmp", "/tmp", false));
        if (requestsConfigMap != null) {
            volumes.add(new VolumeBuilder().withName("requests").withNewConfigMap().withName(requestsConfigMap)
                    .endConfigMap().build());
            mounts.add(mount("requests", REQUESTS_DIR, true));
        }
        if (certificateKey) {
            volumes.add(new VolumeBuilder().withName("certificate-key").withNewSecret()
                    .withSecretName(settings.certificateSecret()).endSecret().build());
            mounts.add(mount("certificate-key", "/etc/unlearning/certificate", true));
        }
        for (String claim : claims(model)) {
            volumes.add(new VolumeBuilder().withName("pvc-" + claim).withNewPersistentVolumeClaim()
                    .withClaimName(claim).endPersistentVolumeClaim().build());
            mounts.add(mount("pvc-" + claim, PVC_ROOT + "/" + claim, false));
        }

        Container worker = new ContainerBuilder()
                .withName("worker")
                .withImage(runtime.getImage() != null ? runtime.getImage() : settings.workerImage())
                .withImagePullPolicy(runtime.getImagePullPolicy() != null ? runtime.getImagePullPolicy()
                        : settings.imagePullPolicy())
                .withArgs(args)
                .withEnv(env(model))
                .withEnvFrom(secretEnv(model))
                .withResources(resources(runtime, gpu))
                .withVolumeMounts(mounts)
                .withTerminationMessagePath("/dev/termination-log")
                .withTerminationMessagePolicy("FallbackToLogsOnError")
                .withNewSecurityContext()
                    .withRunAsNonRoot(true)
                    .withAllowPrivilegeEscalation(false)
                    .withReadOnlyRootFilesystem(true)
                    .withNewCapabilities().withDrop("ALL").endCapabilities()
                .endSecurityContext()
                .build();
        return new PodTemplateSpecBuilder()
                .withNewMetadata().withLabels(podLabels).endMetadata()
                .withSpec(new PodSpecBuilder()
                        .withRestartPolicy("Never")
                        .withServiceAccountName(runtime.getServiceAccountName() != null
                                ? runtime.getServiceAccountName() : settings.workerServiceAccount())
                        .withAutomountServiceAccountToken(false)
                        .withNodeSelector(runtime.getNodeSelector())
                        .withTolerations(runtime.getTolerations())
                        .withAffinity(runtime.getAffinity())
                        .withPriorityClassName(runtime.getPriorityClassName())
                        .withNewSecurityContext()
                            .withRunAsNonRoot(true)
                            .withRunAsUser(1000L)
                            .withFsGroup(1000L)
                            .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                        .endSecurityContext()
                        .withContainers(worker)
                        .withVolumes(volumes)
                        .build())
                .build();
    }

    private ResourceRequirements resources(RuntimeSpec runtime, boolean gpu) {
        ResourceRequirementsBuilder builder = runtime.getResources() != null
                ? new ResourceRequirementsBuilder(runtime.getResources()) : new ResourceRequirementsBuilder();
        if (gpu && runtime.getGpus() > 0) {
            String name = runtime.getGpuResourceName() != null ? runtime.getGpuResourceName() : settings.gpuResourceName();
            // Extended resources are requested through limits (requests default to them and must match).
            builder.addToLimits(name, new Quantity(Integer.toString(runtime.getGpus())));
        }
        return builder.build();
    }

    private static List<EnvVar> env(ShardedModel model) {
        List<EnvVar> env = new ArrayList<>();
        env.add(new EnvVarBuilder().withName("UNLEARNING_TERMINATION_LOG").withValue("/dev/termination-log").build());
        env.add(new EnvVarBuilder().withName("UNLEARNING_PVC_ROOT").withValue(PVC_ROOT).build());
        env.add(new EnvVarBuilder().withName("DJL_CACHE_DIR").withValue("/var/cache/unlearning/djl").build());
        env.add(new EnvVarBuilder().withName("OPT_OUT_TRACKING").withValue("true").build());
        env.add(new EnvVarBuilder().withName("JAVA_TOOL_OPTIONS").withValue("-Dai.djl.offline=true").build());
        // PyTorch ignores cgroup quotas: hand it the container's CPU limit (rounded up) as its thread count.
        env.add(new EnvVarBuilder().withName("UNLEARNING_THREADS").withNewValueFrom().withNewResourceFieldRef()
                .withContainerName("worker").withResource("limits.cpu").withDivisor(new Quantity("1"))
                .endResourceFieldRef().endValueFrom().build());
        return env;
    }

    private static List<io.fabric8.kubernetes.api.model.EnvFromSource> secretEnv(ShardedModel model) {
        Set<String> secrets = new LinkedHashSet<>();
        if (model.getSpec().getStorage() != null && model.getSpec().getStorage().getSecretRef() != null) {
            secrets.add(model.getSpec().getStorage().getSecretRef().getName());
        }
        if (model.getSpec().getDataset() != null && model.getSpec().getDataset().getSecretRef() != null) {
            secrets.add(model.getSpec().getDataset().getSecretRef().getName());
        }
        return secrets.stream().map(s -> new io.fabric8.kubernetes.api.model.EnvFromSourceBuilder()
                .withNewSecretRef().withName(s).endSecretRef().build()).toList();
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
                String rest = uri.substring("pvc://".length());
                claims.add(rest.contains("/") ? rest.substring(0, rest.indexOf('/')) : rest);
            }
        }
        return claims;
    }

    private static VolumeMount mount(String name, String path, boolean readOnly) {
        return new VolumeMountBuilder().withName(name).withMountPath(path).withReadOnly(readOnly).build();
    }
}
