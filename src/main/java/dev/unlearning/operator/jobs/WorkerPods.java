package dev.unlearning.operator.jobs;

import dev.unlearning.api.worker.InputPins;
import dev.unlearning.api.worker.WorkerInvocation;
import dev.unlearning.api.RuntimeSpec;
import dev.unlearning.api.ShardedModel;
import dev.unlearning.operator.config.OperatorSettings;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import java.util.List;
import java.util.Map;

/**
 * Pod templates of the Job roles (train, publish, unlearn, finalize), composed per role: every worker gets the
 * model's runtime settings and the shared parts ({@link PodParts}); a role adds what only it needs.
 */
public final class WorkerPods {

    public static final String CONTAINER = "worker";

    private final OperatorSettings settings;

    public WorkerPods(OperatorSettings settings) {
        this.settings = settings;
    }

    public Builder forRole(ShardedModel model, Map<String, String> labels, List<String> args) {
        return new Builder(model, labels, args);
    }

    /** One worker pod template; {@link #build()} once. */
    public final class Builder {
        private final ShardedModel model;
        private final Map<String, String> labels;
        private final List<String> args;
        private final PodParts parts;
        private boolean gpus;
        private boolean idKey;
        private String requestsDigest;

        private Builder(ShardedModel model, Map<String, String> labels, List<String> args) {
            this.model = model;
            this.labels = labels;
            this.args = args;
            this.parts = new PodParts(model);
        }

        /** The role computes on shards: it gets the runtime's GPUs. */
        public Builder withGpus() {
            this.gpus = true;
            return this;
        }

        /**
         * The role reads the run's request files from this ConfigMap, whose files the operator wrote with
         * {@code digest} ({@link InputPins}): the pod refuses them if they changed since.
         */
        public Builder withRequestFiles(String configMap, String digest) {
            parts.add("requests", new VolumeBuilder().withNewConfigMap().withName(configMap).endConfigMap(),
                    WorkerInvocation.REQUESTS_DIR, true);
            this.requestsDigest = digest;
            return this;
        }

        /**
         * The role makes or matches keyed digests of record ids (tombstones, digest requests, evidence): it mounts
         * the namespace's id-digest key. Never the operator's signing key, which no pod mounts.
         */
        public Builder withIdKey() {
            parts.add("id-key", new VolumeBuilder().withNewSecret().withSecretName(settings.idKeySecret())
                    .endSecret(), WorkerInvocation.ID_KEY_DIR, true);
            this.idKey = true;
            return this;
        }

        public PodTemplateSpec build() {
            RuntimeSpec runtime = PodParts.runtime(model);
            return new PodTemplateSpecBuilder()
                    .withNewMetadata().withLabels(PodParts.podLabels(model, labels)).endMetadata()
                    .withSpec(PodParts.scheduledPod(model, settings)
                            .withRestartPolicy("Never")
                            .withContainers(PodParts.container(model, settings, CONTAINER)
                                    .withArgs(args)
                                    .withEnv(env()).addAllToEnv(PodParts.secretEnv(model))
                                    .withResources(resources(runtime))
                                    .withVolumeMounts(parts.mounts)
                                    .build())
                            .withVolumes(parts.volumes)
                            .build())
                    .build();
        }

        private List<EnvVar> env() {
            List<EnvVar> env = PodParts.env(settings);
            if (requestsDigest != null) {
                InputPins.environment(WorkerInvocation.REQUESTS_DIR, requestsDigest).forEach(pin -> env.add(
                        new EnvVarBuilder().withName(pin.getKey()).withValue(pin.getValue()).build()));
            }
            if (idKey) {
                // Where the role finds the key: a variable, so the mount can live wherever a runtime puts it.
                env.add(new EnvVarBuilder().withName(WorkerInvocation.ENV_ID_KEY_FILE).withValue(WorkerInvocation.ID_KEY_FILE).build());
            }
            // PyTorch ignores cgroup quotas: hand it the container's CPU limit (rounded up) as its thread count.
            env.add(new EnvVarBuilder().withName(WorkerInvocation.ENV_THREADS).withNewValueFrom().withNewResourceFieldRef()
                    .withContainerName(CONTAINER).withResource("limits.cpu").withDivisor(new Quantity("1"))
                    .endResourceFieldRef().endValueFrom().build());
            return env;
        }

        private ResourceRequirements resources(RuntimeSpec runtime) {
            ResourceRequirementsBuilder builder = runtime.getResources() != null
                    ? new ResourceRequirementsBuilder(runtime.getResources()) : new ResourceRequirementsBuilder();
            if (gpus && runtime.getGpus() > 0) {
                String name = runtime.getGpuResourceName() != null ? runtime.getGpuResourceName()
                        : settings.gpuResourceName();
                // Extended resources are requested through limits (requests default to them and must match).
                builder.addToLimits(name, new Quantity(Integer.toString(runtime.getGpus())));
            }
            return builder.build();
        }
    }
}
