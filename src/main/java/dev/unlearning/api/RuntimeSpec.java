package dev.unlearning.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import java.util.Map;

/** How and where the operator's Job pods run: image, GPUs, scheduling and Job limits. */
public class RuntimeSpec {

    @JsonPropertyDescription("Worker image; defaults to the operator's configured worker image.")
    private String image;

    @JsonPropertyDescription("Always, IfNotPresent or Never.")
    private String imagePullPolicy;

    @Min(0)
    @Max(16)
    @Default("0")
    @JsonPropertyDescription("GPUs per pod; 0 runs on CPU.")
    private int gpus = 0;

    @JsonPropertyDescription("Extended resource that counts GPUs; defaults to the operator's setting (nvidia.com/gpu).")
    private String gpuResourceName;

    @JsonPropertyDescription("CPU and memory of each pod; the GPU request is added from gpus.")
    private ResourceRequirements resources;

    private Map<String, String> nodeSelector;

    private List<Toleration> tolerations;

    private Affinity affinity;

    private String priorityClassName;

    @JsonPropertyDescription("Service account of worker pods; defaults to the operator's worker account.")
    private String serviceAccountName;

    @JsonPropertyDescription("Extra pod and Job labels, e.g. kueue.x-k8s.io/queue-name; the operator's own keys are refused.")
    @Size(max = 32)
    @ValidationRule(value = "self.all(k, !k.startsWith('unlearning.dev/') && k != 'app.kubernetes.io/managed-by')",
            message = "runtime.labels may not set the operator's own labels (unlearning.dev/*, app.kubernetes.io/managed-by)")
    private Map<String, String> labels;

    @Min(1)
    @Max(256)
    @JsonPropertyDescription("Shards trained at once; defaults to all.")
    private Integer parallelism;

    @Min(0)
    @Max(20)
    @Default("3")
    @JsonPropertyDescription("Retries per Job (per index for Indexed Jobs).")
    private int backoffLimit = 3;

    @Min(1)
    private Long activeDeadlineSeconds;

    @Min(0)
    private Integer ttlSecondsAfterFinished;

    public String getImage() {
        return image;
    }

    public void setImage(String image) {
        this.image = image;
    }

    public String getImagePullPolicy() {
        return imagePullPolicy;
    }

    public void setImagePullPolicy(String imagePullPolicy) {
        this.imagePullPolicy = imagePullPolicy;
    }

    public int getGpus() {
        return gpus;
    }

    public void setGpus(int gpus) {
        this.gpus = gpus;
    }

    public String getGpuResourceName() {
        return gpuResourceName;
    }

    public void setGpuResourceName(String gpuResourceName) {
        this.gpuResourceName = gpuResourceName;
    }

    public ResourceRequirements getResources() {
        return resources;
    }

    public void setResources(ResourceRequirements resources) {
        this.resources = resources;
    }

    public Map<String, String> getNodeSelector() {
        return nodeSelector;
    }

    public void setNodeSelector(Map<String, String> nodeSelector) {
        this.nodeSelector = nodeSelector;
    }

    public List<Toleration> getTolerations() {
        return tolerations;
    }

    public void setTolerations(List<Toleration> tolerations) {
        this.tolerations = tolerations;
    }

    public Affinity getAffinity() {
        return affinity;
    }

    public void setAffinity(Affinity affinity) {
        this.affinity = affinity;
    }

    public String getPriorityClassName() {
        return priorityClassName;
    }

    public void setPriorityClassName(String priorityClassName) {
        this.priorityClassName = priorityClassName;
    }

    public String getServiceAccountName() {
        return serviceAccountName;
    }

    public void setServiceAccountName(String serviceAccountName) {
        this.serviceAccountName = serviceAccountName;
    }

    public Map<String, String> getLabels() {
        return labels;
    }

    public void setLabels(Map<String, String> labels) {
        this.labels = labels;
    }

    public Integer getParallelism() {
        return parallelism;
    }

    public void setParallelism(Integer parallelism) {
        this.parallelism = parallelism;
    }

    public int getBackoffLimit() {
        return backoffLimit;
    }

    public void setBackoffLimit(int backoffLimit) {
        this.backoffLimit = backoffLimit;
    }

    public Long getActiveDeadlineSeconds() {
        return activeDeadlineSeconds;
    }

    public void setActiveDeadlineSeconds(Long activeDeadlineSeconds) {
        this.activeDeadlineSeconds = activeDeadlineSeconds;
    }

    public Integer getTtlSecondsAfterFinished() {
        return ttlSecondsAfterFinished;
    }

    public void setTtlSecondsAfterFinished(Integer ttlSecondsAfterFinished) {
        this.ttlSecondsAfterFinished = ttlSecondsAfterFinished;
    }
}
