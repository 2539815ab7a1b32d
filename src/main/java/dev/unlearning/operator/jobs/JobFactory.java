package dev.unlearning.operator.jobs;

import dev.unlearning.api.worker.WorkerInvocation;
import dev.unlearning.api.BatchRun;
import dev.unlearning.api.ErasureRun;
import dev.unlearning.api.RunMember;
import dev.unlearning.api.RuntimeSpec;
import dev.unlearning.api.ShardedModel;
import dev.unlearning.api.UnlearningMethod;
import dev.unlearning.api.VerificationSpec;
import dev.unlearning.api.worker.ExitCode;
import dev.unlearning.api.Threshold;
import dev.unlearning.operator.conventions.Labels;
import dev.unlearning.operator.config.OperatorSettings;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Map;

/**
 * The Jobs of a model's life: an Indexed Job that trains one shard per index, a publish Job that makes the
 * trained shards a version, an Indexed Job that unlearns one affected shard per index, and a finalize Job
 * that verifies and publishes the result. Names are derived from the run, so re-creating after an operator
 * restart finds the existing Job instead of starting a second one.
 */
public final class JobFactory {

    private final OperatorSettings settings;
    private final WorkerPods pods;

    public JobFactory(OperatorSettings settings) {
        this.settings = settings;
        this.pods = new WorkerPods(settings);
    }

    public static String trainJobName(ShardedModel model, String run) {
        return model.getMetadata().getName() + "-train-" + run;
    }

    public static String publishJobName(ShardedModel model, String run) {
        return model.getMetadata().getName() + "-publish-" + run;
    }

    public static String unlearnJobName(ShardedModel model, BatchRun batch) {
        return model.getMetadata().getName() + "-unlearn-" + batch.getId() + "-" + methodSuffix(batch.getMethod());
    }

    public static String finalizeJobName(ShardedModel model, BatchRun batch) {
        return model.getMetadata().getName() + "-finalize-" + batch.getId() + "-" + methodSuffix(batch.getMethod());
    }

    public static String requestsConfigMapName(ShardedModel model, BatchRun batch) {
        return model.getMetadata().getName() + "-requests-" + batch.getId();
    }

    public static String ledgerConfigMapName(ShardedModel model, String run) {
        return model.getMetadata().getName() + "-ledger-" + run;
    }

    /**
     * With a ledger copy (the digest of the files the operator wrote into its ConfigMap), the pods leave out what
     * the dataset's ledger forgot.
     */
    public Job training(ShardedModel model, String run, Optional<String> ledgerFiles) {
        int shards = model.getSpec().getSharding().getShards();
        boolean ledger = ledgerFiles.isPresent();
        List<String> args = WorkerInvocation.train(run, ledger);
        // The id-digest key: tombstones and ledger entries name records by keyed digest only.
        WorkerPods.Builder pod = pods.forRole(model, Labels.of(name(model), run, "train"), args).withGpus()
                .withIdKey();
        if (ledger) {
            pod.withRequestFiles(ledgerConfigMapName(model, run), ledgerFiles.get());
        }
        return indexed(model, trainJobName(model, run), run, "train", shards, pod.build());
    }

    public Job publish(ShardedModel model, String run) {
        List<String> args = WorkerInvocation.publish(run);
        return single(model, publishJobName(model, run), run, "publish",
                pods.forRole(model, Labels.of(name(model), run, "publish"), args).withIdKey().build());
    }

    public Job unlearning(ShardedModel model, BatchRun batch) {
        List<String> args = WorkerInvocation.unlearn(batch.getMethod(), run(batch), batch.getShards(),
                batch.getBaseVersion(), requestNames(batch));
        return withRunPriority(batch, indexed(model, unlearnJobName(model, batch), run(batch), "unlearn",
                batch.getShards().size(), pods.forRole(model, Labels.of(name(model), run(batch), "unlearn"), args)
                        .withGpus().withRequestFiles(requestsConfigMapName(model, batch), batch.getRequestsDigest())
                        .withIdKey().build()));
    }

    /**
     * An exact follow-up (a retrain owed by a deadline, not a person waiting) queues behind interactive runs: its
     * Jobs get the installation's lower Kueue WorkloadPriorityClass, where they are queued at all.
     */
    private Job withRunPriority(BatchRun batch, Job job) {
        String priority = settings.followUpPriorityClass();
        Map<String, String> labels = job.getMetadata().getLabels();
        if (batch.getFollowUp() && priority != null && !priority.isBlank()
                && labels.containsKey(QueueAdmission.QUEUE_LABEL)) {
            labels.put(KUEUE_LABEL_PREFIX + "priority-class", priority);
        }
        return job;
    }

    public Job finalizing(ShardedModel model, BatchRun batch, VerificationSpec gate) {
        List<String> args = WorkerInvocation.finalize(batch.getMethod(), run(batch), batch.getShards(),
                batch.getBaseVersion(), requestNames(batch), gateArgs(gate));
        return withRunPriority(batch, single(model, finalizeJobName(model, batch), run(batch), "finalize",
                pods.forRole(model, Labels.of(name(model), run(batch), "finalize"), args)
                        .withRequestFiles(requestsConfigMapName(model, batch), batch.getRequestsDigest())
                        .withIdKey().build()));
    }

    /** A dry run's Job and request ConfigMap: named after the request's uid, so a re-created request gets its own. */
    public static String detectJobName(ShardedModel model, RunMember request) {
        return model.getMetadata().getName() + "-detect-" + detectionRun(request);
    }

    public static String detectionRun(RunMember request) {
        String uid = (request.getUid() == null ? request.getName() : request.getUid()).replaceAll("[^a-z0-9]", "");
        return uid.substring(0, Math.min(12, uid.length()));
    }

    /** One pod that runs a forget.outliers request's detector and reports what it found, changing no version. */
    public Job detecting(ShardedModel model, RunMember request, String requestFiles) {
        String run = detectionRun(request);
        List<String> args = WorkerInvocation.detect(request.getName());
        return single(model, detectJobName(model, request), run, "detect",
                pods.forRole(model, Labels.of(name(model), run, "detect"), args)
                        .withRequestFiles(detectJobName(model, request), requestFiles).withIdKey().build());
    }

    public static String eraseJobName(ShardedModel model, ErasureRun run) {
        return model.getMetadata().getName() + "-erase-" + run.getId();
    }

    /** One pod that erases around the served version and signs what it erased. */
    public Job erasing(ShardedModel model, ErasureRun run) {
        List<String> args = WorkerInvocation.erase(run.getServedVersion(), model.getSpec().getRetention());
        return single(model, eraseJobName(model, run), run.getId(), "erase",
                pods.forRole(model, Labels.of(name(model), run.getId(), "erase"), args).withIdKey().build());
    }

    public static String purgeJobName(ShardedModel model) {
        return model.getMetadata().getName() + "-purge";
    }

    /** One pod that deletes the model's store but its certificates (deletionPolicy Delete). */
    public Job purging(ShardedModel model) {
        List<String> args = WorkerInvocation.purge();
        return single(model, purgeJobName(model), "purge", "purge",
                pods.forRole(model, Labels.of(name(model), "purge", "purge"), args).build());
    }

    /** The staging run of an attempt: an Exact fallback gets its own, next to the approximate one. */
    public static String run(BatchRun batch) {
        return batch.getId() + "-" + methodSuffix(batch.getMethod());
    }

    private static List<String> requestNames(BatchRun batch) {
        return batch.getRequests().stream().map(RunMember::getName).toList();
    }

    /**
     * The gate a finalize Job was given, read back from its arguments: what the worker was asked to hold, which
     * the operator checks the worker's result against and signs, even if the model's spec changed since.
     */
    public static VerificationSpec gateOf(Job finalize) {
        VerificationSpec gate = new VerificationSpec();
        List<String> args = finalize.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs();
        for (int i = 0; args != null && i + 1 < args.size(); i++) {
            if (args.get(i).equals(WorkerInvocation.GATE)) {
                String[] keyAndLimit = args.get(i + 1).split("=", 2);
                Threshold.ofKey(keyAndLimit[0]).setLimit(gate, Double.valueOf(keyAndLimit[1]));
            }
        }
        return gate;
    }

    /** The gate's thresholds as {@code key=limit}, the form finalize takes them in. */
    private static List<String> gateArgs(VerificationSpec gate) {
        List<String> args = new ArrayList<>();
        for (Threshold threshold : gate == null ? new Threshold[0] : Threshold.values()) {
            Double limit = threshold.limit(gate);
            if (limit != null) {
                args.add(threshold.key() + "=" + limit);
            }
        }
        return args;
    }

    /** Short enough that a 30-character model name still leaves every Job name within 63 characters. */
    private static String methodSuffix(UnlearningMethod method) {
        return method == UnlearningMethod.GRADIENT_DIFFERENCE ? "graddiff"
                : method.name().toLowerCase().replace("_", "");
    }

    private Job indexed(ShardedModel model, String name, String run, String role, int completions,
            PodTemplateSpec template) {
        RuntimeSpec runtime = runtime(model);
        Job job = single(model, name, run, role, template);
        job.getSpec().setCompletionMode("Indexed");
        job.getSpec().setCompletions(completions);
        job.getSpec().setParallelism(runtime.getParallelism() != null
                ? Math.min(runtime.getParallelism(), completions) : completions);
        // Retries count per index, so one flaky shard cannot use up the others' attempts.
        job.getSpec().setBackoffLimit(null);
        job.getSpec().setBackoffLimitPerIndex(runtime.getBackoffLimit());
        return job;
    }

    private Job single(ShardedModel model, String name, String run, String role, PodTemplateSpec template) {
        RuntimeSpec runtime = runtime(model);
        Map<String, String> labels = new LinkedHashMap<>(Labels.of(name(model), run, role));
        // Kueue reads its queue and priority labels from the Job, not the pod template: without them here it
        // would never manage these Jobs, and GPU quota and queueing would be bypassed.
        if (runtime.getLabels() != null) {
            runtime.getLabels().forEach((key, value) -> {
                if (key.startsWith(KUEUE_LABEL_PREFIX)) {
                    labels.putIfAbsent(key, value);
                }
            });
        }
        return new JobBuilder()
                .withMetadata(ModelFiles.owned(model, name, labels))
                .withNewSpec()
                    .withBackoffLimit(runtime.getBackoffLimit())
                    // Invalid input, bad data and a missed gate cannot get better by retrying: fail the Job at
                    // once instead of burning the backoff budget.
                    .withNewPodFailurePolicy()
                        .addNewRule()
                            .withAction("FailJob")
                            .withNewOnExitCodes().withContainerName(WorkerPods.CONTAINER).withOperator("In")
                                .withValues(ExitCode.fatalCodes()).endOnExitCodes()
                        .endRule()
                    .endPodFailurePolicy()
                    .withActiveDeadlineSeconds(runtime.getActiveDeadlineSeconds())
                    .withTtlSecondsAfterFinished(runtime.getTtlSecondsAfterFinished())
                    .withTemplate(template)
                .endSpec()
                .build();
    }

    static final String KUEUE_LABEL_PREFIX = "kueue.x-k8s.io/";

    private static RuntimeSpec runtime(ShardedModel model) {
        return model.getSpec().getRuntime() != null ? model.getSpec().getRuntime() : new RuntimeSpec();
    }

    private static String name(ShardedModel model) {
        return model.getMetadata().getName();
    }
}
