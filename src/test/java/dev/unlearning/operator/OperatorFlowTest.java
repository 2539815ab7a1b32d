package dev.unlearning.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.unlearning.operator.config.OperatorSettings;
import dev.unlearning.operator.conventions.Labels;
import dev.unlearning.operator.conventions.RequestConditions;
import dev.unlearning.operator.conventions.ModelConditions;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.unlearning.api.BatchRun;
import dev.unlearning.api.CertificateReference;
import dev.unlearning.api.ForgetLedger;
import dev.unlearning.api.ModelProgress;
import dev.unlearning.api.RunMember;
import dev.unlearning.api.ShardPlacement;
import dev.unlearning.api.ShardedModel;
import dev.unlearning.api.ShardedModelStatus;
import dev.unlearning.api.UnlearningMethod;
import dev.unlearning.api.UnlearningRequest;
import dev.unlearning.api.worker.ErasureResult;
import dev.unlearning.api.worker.S3Environment;
import dev.unlearning.api.worker.ExitCode;
import dev.unlearning.api.worker.FinalizeResult;
import dev.unlearning.api.worker.GateFailure;
import dev.unlearning.api.worker.Measurements;
import dev.unlearning.api.Metric;
import dev.unlearning.api.worker.PurgeResult;
import dev.unlearning.api.worker.ShardSummary;
import dev.unlearning.api.Threshold;
import dev.unlearning.api.VerificationSpec;
import dev.unlearning.api.worker.TrainingResult;
import dev.unlearning.api.worker.UnlearnShardResult;
import dev.unlearning.engine.sharding.Placement;
import dev.unlearning.engine.unlearning.Unlearning;
import dev.unlearning.operator.certificates.CertificateIssuer;
import dev.unlearning.operator.jobs.JobFactory;
import dev.unlearning.store.attestation.Attestations;
import dev.unlearning.store.Digests;
import dev.unlearning.store.attestation.Dsse;
import dev.unlearning.store.IdDigestKey;
import dev.unlearning.store.attestation.TrustedKeys;
import dev.unlearning.api.worker.InputPins;
import dev.unlearning.testcluster.ProjectPaths;
import dev.unlearning.testcluster.TestControlPlane;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The operator against a real kube-apiserver. There is no kubelet or Job controller here, so the test plays
 * them ({@link FakeKubelet}): it finishes the Jobs the operator creates with the exit codes and termination
 * messages real workers would produce, and reports Deployment rollouts.
 */
class OperatorFlowTest {

    static final Duration WAIT = Duration.ofSeconds(30);

    KubernetesClient client;
    FakeKubelet kubelet;
    String ns;
    Operator operator;

    @BeforeEach
    void start() {
        TestControlPlane plane = TestControlPlane.get();
        client = plane.client();
        kubelet = new FakeKubelet(client);
        ns = plane.newNamespace("flow");
        operator = startOperator();
    }

    @AfterEach
    void stop() {
        operator.stop();
    }

    final SimpleMeterRegistry metrics =
            new SimpleMeterRegistry();

    Operator startOperator() {
        OperatorWiring wiring = OperatorWiring.create(client,
                OperatorSettings.defaults().withErasureRetry(Duration.ofSeconds(1)).withAllowed(
                        List.of("ghcr.io/unlearning-dev/unlearning-operator:", "registry.example/unlearning:"),
                        List.of("unlearning-worker")).withOperatorNamespace(ns), Clock.systemUTC(), metrics);
        Operator op = new Operator(o -> o.withKubernetesClient(client).withCloseClientOnStop(false)
                .withUseSSAToPatchPrimaryResource(true));
        op.register(wiring.modelReconciler(), c -> c.settingNamespace(ns));
        op.register(wiring.requestReconciler(), c -> c.settingNamespace(ns));
        op.start();
        return op;
    }

    @Test
    void theTrainingJobCarriesGpusSchedulingAndOwnership() {
        client.resource("""
                apiVersion: unlearning.dev/v1alpha1
                kind: ShardedModel
                metadata: {name: gpu-model}
                spec:
                  dataset: {uri: "s3://data/fmnist"}
                  storage: {uri: "s3://models/gpu-model", secretRef: {name: s3-creds}}
                  sharding: {shards: 6, slices: 2}
                  runtime:
                    image: registry.example/unlearning:1.0
                    gpus: 2
                    resources: {requests: {cpu: "4", memory: 8Gi}, limits: {cpu: "4", memory: 8Gi}}
                    nodeSelector: {accelerator: h100}
                    tolerations: [{key: nvidia.com/gpu, operator: Exists, effect: NoSchedule}]
                    priorityClassName: batch-high
                    labels: {kueue.x-k8s.io/queue-name: gpu-queue}
                    parallelism: 2
                    backoffLimit: 1
                    activeDeadlineSeconds: 3600
                  serving: {replicas: 0}
                """).inNamespace(ns).create();

        Job job = awaitJob(j -> j.getMetadata().getName().startsWith("gpu-model-train-"));
        ShardedModel model = model("gpu-model");

        assertThat(job.getSpec().getCompletionMode()).isEqualTo("Indexed");
        assertThat(job.getSpec().getCompletions()).isEqualTo(6);
        assertThat(job.getSpec().getParallelism()).isEqualTo(2);
        assertThat(job.getSpec().getBackoffLimitPerIndex()).isEqualTo(1);
        assertThat(job.getSpec().getActiveDeadlineSeconds()).isEqualTo(3600L);
        assertThat(job.getSpec().getPodFailurePolicy().getRules().get(0).getOnExitCodes().getValues()).contains(2, 3, 5);
        var owner = job.getMetadata().getOwnerReferences().get(0);
        assertThat(owner.getUid()).isEqualTo(model.getMetadata().getUid());
        assertThat(owner.getController()).isTrue();
        var pod = job.getSpec().getTemplate().getSpec();
        var worker = pod.getContainers().get(0);
        assertThat(worker.getImage()).isEqualTo("registry.example/unlearning:1.0");
        assertThat(worker.getResources().getLimits()).containsEntry("nvidia.com/gpu", new Quantity("2"))
                .containsEntry("memory", new Quantity("8Gi"));
        assertThat(worker.getArgs()).startsWith("train", "--model");
        // The Secret key by key, only what the S3 client reads: never whole (JAVA_TOOL_OPTIONS, LD_PRELOAD).
        assertThat(worker.getEnvFrom()).isEmpty();
        assertThat(worker.getEnv()).filteredOn(e -> e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null)
                .extracting(EnvVar::getName).containsExactlyElementsOf(S3Environment.FROM_SECRETS);
        assertThat(worker.getEnv()).filteredOn(e -> e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null)
                .allSatisfy(e -> {
                    assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("s3-creds");
                    assertThat(e.getValueFrom().getSecretKeyRef().getKey()).isEqualTo(e.getName());
                    assertThat(e.getValueFrom().getSecretKeyRef().getOptional()).isTrue();
                });
        assertThat(worker.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(worker.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getNodeSelector()).containsEntry("accelerator", "h100");
        assertThat(pod.getTolerations().get(0).getKey()).isEqualTo("nvidia.com/gpu");
        assertThat(pod.getPriorityClassName()).isEqualTo("batch-high");
        assertThat(pod.getServiceAccountName()).isEqualTo("unlearning-worker");
        assertThat(job.getSpec().getTemplate().getMetadata().getLabels())
                .containsEntry("kueue.x-k8s.io/queue-name", "gpu-queue");
        assertThat(job.getMetadata().getLabels()).as("Kueue reads the queue from the Job itself")
                .containsEntry("kueue.x-k8s.io/queue-name", "gpu-queue");
        // The Job is created before the status that records it is written: wait for the write, not a guess.
        await().atMost(WAIT).until(() -> model("gpu-model").getStatus() != null && "True".equals(
                condition(model("gpu-model"), ModelConditions.TRAINING).getStatus()));
    }

    @Test
    void aModelAndARequestMoveThroughEveryCondition() {
        createModel("fm", 4, 1, 1);
        awaitJob(j -> j.getMetadata().getName().startsWith("fm-train-"));
        await().atMost(WAIT).until(() -> "training 0/4 shards".equals(model("fm").getStatus().getProgress()));
        trainAndPublish("fm", 4);
        await().atMost(WAIT).until(() -> model("fm").getStatus().getPublished().getCurrentVersion() != null);
        assertThat(condition(model("fm"), ModelConditions.READY).getReason()).isEqualTo("RollingOut");
        var idKey = client.secrets().inNamespace(ns).withName("unlearning-id-key").get();
        assertThat(new String(java.util.Base64.getDecoder().decode(idKey.getData().get("key")), StandardCharsets.UTF_8))
                .as("created by the operator for the namespace's first model").matches("[0-9a-f]{64}");
        assertThat(model("fm").getStatus().getPublished().getShards()).hasSize(4).allSatisfy(s -> {
            assertThat(s.getRecords()).isEqualTo(100);
            assertThat(s.getTestAccuracy()).isEqualTo(0.8);
        });

        Deployment serving = awaitDeployment("fm-serving", 1);
        assertThat(serving.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal()).isZero();
        assertThat(serving.getSpec().getTemplate().getSpec().getContainers().get(0).getReadinessProbe().getHttpGet()
                .getPath()).isEqualTo("/v2/health/ready");
        assertThat(model("fm").getStatus().getServing().getVersion()).as("not before the rollout completes").isNull();
        kubelet.rollOut(serving);
        await().atMost(WAIT).until(() -> Integer.valueOf(1).equals(model("fm").getStatus().getServing().getVersion()));
        await().atMost(WAIT).until(() -> "True".equals(condition(model("fm"), ModelConditions.READY).getStatus()));

        List<String> ids = List.of("train-5", "train-77");
        createRequest("forget", "fm", "recordIds: [train-5, train-77]", "Exact");
        UnlearningRequest planned = awaitRequest("forget", RequestConditions.PLANNED);
        assertThat(planned.getStatus().getAffectedShards())
                .containsExactlyElementsOf(Unlearning.affectedShards(ids, 42, 4, 2));

        Job unlearn = awaitJob(j -> j.getMetadata().getName().startsWith("fm-unlearn-"));
        assertThat(unlearn.getSpec().getCompletions()).isEqualTo(planned.getStatus().getAffectedShards().size());
        assertThat(awaitRequest("forget", RequestConditions.UNLEARNING).getStatus().getJobNames())
                .contains(unlearn.getMetadata().getName());
        kubelet.succeed(unlearn, UNLEARNED);

        Job finalizeJob = awaitJob(j -> j.getMetadata().getName().startsWith("fm-finalize-"));
        assertThat(finalizeJob.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs())
                .contains("--base-version", "1");
        assertThat(finalizeJob.getSpec().getTemplate().getSpec().getVolumes())
                .as("the namespace's id-digest key; never the operator's signing key")
                .anySatisfy(v -> assertThat(v.getSecret() == null ? "" : v.getSecret().getSecretName())
                        .isEqualTo("unlearning-id-key"))
                .noneSatisfy(v -> assertThat(v.getSecret() == null ? "" : v.getSecret().getSecretName())
                        .isEqualTo("unlearning-signing-keys"));
        String requestFiles = client.getKubernetesSerialization().asJson(client.configMaps().inNamespace(ns)
                .withName(JobFactory.requestsConfigMapName(model("fm"), model("fm").getStatus().unlearningLane().getActiveRun()))
                .get().getData());
        IdDigestKey namespaceKey = namespaceIdKey();
        assertThat(requestFiles).as("the Job's request files name records by keyed digest only")
                .doesNotContain("train-5").contains(namespaceKey.record("train-5"));
        assertThat(client.getKubernetesSerialization().asJson(client.resources(ForgetLedger.class).inNamespace(ns)
                .list().getItems())).as("nor does the ledger, which outlives the request").doesNotContain("train-5")
                .contains(namespaceKey.record("train-77"));
        succeedFinalize(finalizeJob, 2);

        UnlearningRequest verified = awaitRequest("forget", RequestConditions.VERIFIED);
        assertThat(verified.getStatus().getResultingVersion()).isEqualTo(2);
        var certificate = verified.getStatus().getCertificate();
        assertThat(certificate.getEvidenceDigest()).as("the worker's evidence, named by digest").isEqualTo("cert-digest-2");
        assertThat(certificate.getLocation()).startsWith("configmap/fm-certificate-")
                .as("a model deleted and created again, whose run ids start over, gets its own certificates")
                .endsWith("-" + model("fm").getMetadata().getUid().replace("-", "").substring(0, 8));
        JsonNode statement = signedStatement(certificate);
        assertThat(statement.path("subject").path(0).path("name").asText()).isEqualTo(ns + "/fm@v2");
        assertThat(statement.path("predicate").path("namespace").asText()).isEqualTo(ns);
        assertThat(statement.path("predicate").path("modelUid").asText()).isEqualTo(model("fm").getMetadata().getUid());
        assertThat(statement.path("predicate").path("gate").path("thresholds").path("maxForgetAccuracy").asDouble())
                .isEqualTo(0.02);
        assertThat(statement.path("predicate").path("tombstoneSetSha256").asText()).isEqualTo("tombstones-2");
        assertThat(statement.toString()).doesNotContain("train-5");
        assertThat(verified.getStatus().getMetricsAfter()).containsEntry("testAccuracy", 0.84);
        awaitCondition("forget", RequestConditions.ROLLED_OUT, "False");
        assertThat(model("fm").getStatus().getServing().getVersion()).as("serving moves only after the rollout").isEqualTo(1);
        assertThat(client.getKubernetesSerialization().asJson(verified.getStatus())).doesNotContain("train-5");

        Deployment v2 = awaitDeployment("fm-serving", 2);
        kubelet.rollOut(v2);
        awaitCondition("forget", RequestConditions.ERASED, "False");
        assertThat(awaitRequest("forget", RequestConditions.ROLLED_OUT).getStatus().condition(RequestConditions.COMPLETE))
                .as("not Complete before erasure").isEmpty();
        Job erase = awaitJob(j -> j.getMetadata().getName().equals("fm-erase-e1"));
        assertThat(erase.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs())
                .contains("erase", "--served-version", "2", "--retention", "3");
        kubelet.succeed(erase, erased(2, 1));
        UnlearningRequest complete = awaitRequest("forget", RequestConditions.COMPLETE);
        assertThat(complete.getStatus().getPhase()).isEqualTo("Complete");
        assertThat(condition(complete, RequestConditions.ERASED).getStatus()).isEqualTo("True");
        assertThat(complete.getStatus().getErasure().getErasedVersions()).containsExactly(1);
        assertThat(complete.getStatus().getErasure().getCertificate().getEvidenceDigest()).isEqualTo("erasure-digest-2");
        assertThat(signedStatement(complete.getStatus().getErasure().getCertificate()).path("predicate")
                .path("erasedVersions").path(0).asInt()).isEqualTo(1);
        assertThat(signedStatement(complete.getStatus().getErasure().getCertificate()).path("predicate")
                .path("provenance").path("isolation").asText()).as("the tenant could have influenced it, and it says so")
                .isEqualTo("TenantNamespace");
        assertThat(client.secrets().inNamespace(ns).withName("unlearning-signing-keys").get().getData())
                .as("the private key stays in the operator's namespace").containsKey("active");
        assertThat(condition(complete, RequestConditions.ROLLED_OUT).getStatus()).isEqualTo("True");
        assertThat(model("fm").getStatus().getServing().getVersion()).isEqualTo(2);
        assertThat(model("fm").getStatus().getPublished().getVersions()).extracting(v -> v.getVersion()).containsExactly(1, 2);
        assertThat(condition(model("fm"), ModelConditions.UNLEARNING).getStatus()).isEqualTo("False");
        assertThat(metrics.counter("unlearning.requests", "outcome", "completed").count()).isEqualTo(1);
        assertThat(metrics.timer("unlearning.job.duration", "role", "finalize", "outcome", "succeeded").count())
                .isEqualTo(1);
        assertThat(kubectlWait("unlearningrequest/forget", "condition=Complete")).as("kubectl wait").isZero();
    }

    /** Runs the real kubectl from the test control plane against this namespace. */
    int kubectlWait(String resource, String condition) {
        try {
            Path kubeconfig = Files.createTempFile("kubeconfig", ".yaml");
            Files.writeString(kubeconfig, TestControlPlane.get().kubeConfigYaml());
            Path kubectl = ProjectPaths.testClusterBin().resolve("kubectl");
            Process p = new ProcessBuilder(kubectl.toString(), "--kubeconfig", kubeconfig.toString(), "-n", ns,
                    "wait", "--for=" + condition, resource, "--timeout=20s").inheritIO().start();
            return p.waitFor();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void requestsOfOneWindowShareAJobAndLaterOnesQueue() {
        createModel("co", 8, 0, 3);
        trainAndPublish("co", 8);
        createRequest("r1", "co", "recordIds: [train-1, train-2]", "Exact");
        createRequest("r2", "co", "recordIds: [train-3, train-4, train-5]", "Exact");

        Job first = awaitJob(j -> j.getMetadata().getName().startsWith("co-unlearn-"));
        BatchRun batch = await().atMost(WAIT).until(() -> model("co").getStatus().unlearningLane().getActiveRun(),
                run -> run != null && run.getJobUid() != null);
        assertThat(batch.getJobUid()).as("the run knows its Job by uid").isEqualTo(first.getMetadata().getUid());
        assertThat(batch.getRequests()).extracting(RunMember::getName).containsExactlyInAnyOrder("r1", "r2");
        String written = InputPins.digest(client.configMaps().inNamespace(ns)
                .withName(JobFactory.requestsConfigMapName(model("co"), batch)).get().getData());
        assertThat(first.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
                .as("the Job pins the request files it was made for")
                .anyMatch(e -> e.getName().equals(InputPins.ENV_REQUESTS_SHA256) && e.getValue().equals(written))
                .anyMatch(e -> e.getName().equals(InputPins.ENV_REQUESTS_DIR));
        TreeSet<Integer> union = new TreeSet<>(Unlearning.affectedShards(List.of("train-1", "train-2"), 42, 8, 2));
        union.addAll(Unlearning.affectedShards(List.of("train-3", "train-4", "train-5"), 42, 8, 2));
        assertThat(batch.getShards()).containsExactlyElementsOf(union);
        assertThat(first.getSpec().getCompletions()).isEqualTo(union.size());

        createRequest("r3", "co", "recordIds: [train-6]", "Exact");
        awaitRequest("r3", RequestConditions.PLANNED);
        assertThat(unlearnJobs("co")).as("r3 waits for the running job").hasSize(1);

        kubelet.succeed(first, UNLEARNED);
        succeedFinalize(awaitJob(j -> j.getMetadata().getName().startsWith("co-finalize-u1")), 2);
        kubelet.succeed(awaitJob(j -> j.getMetadata().getName().equals("co-erase-e1")), erased(2, 1));
        awaitRequest("r1", RequestConditions.COMPLETE);
        awaitRequest("r2", RequestConditions.COMPLETE);

        Job second = awaitJob(j -> j.getMetadata().getName().startsWith("co-unlearn-u2"));
        assertThat(second.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs()).contains("--base-version", "2");
        kubelet.succeed(second, UNLEARNED);
        succeedFinalize(awaitJob(j -> j.getMetadata().getName().startsWith("co-finalize-u2")), 3);
        kubelet.succeed(awaitJob(j -> j.getMetadata().getName().equals("co-erase-e2")), erased(3, 2));
        assertThat(awaitRequest("r3", RequestConditions.COMPLETE).getStatus().getResultingVersion()).isEqualTo(3);
        assertThat(unlearnJobs("co")).hasSize(2);
    }

    @Test
    void aFailedGateKeepsTheOldVersionAndAutoFallsBackToExact() {
        // The model tells Auto to try NegGrad+ first; by itself Auto would route a class to SalUn.
        createModel("gate", 4, 1, 1, "Retain", "NegGradPlus");
        trainAndPublish("gate", 4);
        kubelet.rollOut(awaitDeployment("gate-serving", 1));
        await().atMost(WAIT).until(() -> Integer.valueOf(1).equals(model("gate").getStatus().getServing().getVersion()));

        createRequest("strict", "gate", "labels: [1]", "SCRUB");
        kubelet.succeed(awaitJob(j -> j.getMetadata().getName().equals("gate-unlearn-u1-scrub")), UNLEARNED);
        kubelet.fail(awaitJob(j -> j.getMetadata().getName().equals("gate-finalize-u1-scrub")), ExitCode.GATE_FAILED,
                gateFailed(0.6));

        UnlearningRequest failed = awaitRequest("strict", RequestConditions.FAILED);
        assertThat(condition(failed, RequestConditions.FAILED).getReason()).isEqualTo("VerificationFailed");
        assertThat(condition(failed, RequestConditions.VERIFIED).getStatus()).isEqualTo("False");
        assertThat(model("gate").getStatus().getPublished().getCurrentVersion()).isEqualTo(1);
        assertThat(model("gate").getStatus().getServing().getVersion()).isEqualTo(1);
        assertThat(client.apps().deployments().inNamespace(ns).withName("gate-serving").get().getSpec().getTemplate()
                .getMetadata().getAnnotations()).containsEntry(Labels.VERSION, "1");

        createRequest("auto", "gate", "labels: [2]", "Auto");
        kubelet.succeed(awaitJob(j -> j.getMetadata().getName().equals("gate-unlearn-u2-neggradplus")), UNLEARNED);
        kubelet.fail(awaitJob(j -> j.getMetadata().getName().equals("gate-finalize-u2-neggradplus")),
                ExitCode.GATE_FAILED, gateFailed(0.4));
        Job exact = awaitJob(j -> j.getMetadata().getName().equals("gate-unlearn-u2-exact"));
        assertThat(exact.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs()).contains("EXACT");
        kubelet.succeed(exact, UNLEARNED);
        succeedFinalize(awaitJob(j -> j.getMetadata().getName().equals("gate-finalize-u2-exact")), 2);
        UnlearningRequest verified = awaitRequest("auto", RequestConditions.VERIFIED);
        assertThat(verified.getStatus().getMethod()).hasToString("EXACT");
        assertThat(verified.getStatus().getResultingVersion()).isEqualTo(2);
    }

    @Test
    void restartingTheOperatorMidRunNeitherDuplicatesNorLosesJobs() {
        // Each restart comes after the model's status recorded the Job: one that dies between creating a Job and
        // recording it leaves that Job unread, and the step runs again under a fresh name (design.md).
        createModel("rs", 4, 0, 1);
        trainAndPublish("rs", 4);
        createRequest("keep", "rs", "recordIds: [train-9]", "Exact");
        Job unlearn = awaitRecorded("rs", awaitJob(j -> j.getMetadata().getName().startsWith("rs-unlearn-")));

        operator.stop();
        operator = startOperator();
        // Let the new operator reconcile everything once before looking.
        createRequest("marker", "other-model", "labels: [0]", "Exact");
        awaitCondition("marker", RequestConditions.ACCEPTED, "False");
        assertThat(unlearnJobs("rs")).extracting(j -> j.getMetadata().getName())
                .containsExactly(unlearn.getMetadata().getName());

        kubelet.succeed(unlearn, UNLEARNED);
        Job finalizeJob = awaitRecorded("rs", awaitJob(j -> j.getMetadata().getName().startsWith("rs-finalize-")));
        operator.stop();
        operator = startOperator();
        succeedFinalize(finalizeJob, 2);
        Job erase = awaitRecorded("rs", awaitJob(j -> j.getMetadata().getName().equals("rs-erase-e1")));
        operator.stop();
        operator = startOperator();
        kubelet.succeed(erase, erased(2, 1));
        assertThat(awaitRequest("keep", RequestConditions.COMPLETE).getStatus().getResultingVersion()).isEqualTo(2);
        assertThat(client.batch().v1().jobs().inNamespace(ns).list().getItems().stream()
                .filter(j -> j.getMetadata().getName().startsWith("rs-erase-"))).hasSize(1);
        assertThat(unlearnJobs("rs")).hasSize(1);
        assertThat(client.batch().v1().jobs().inNamespace(ns).list().getItems().stream()
                .filter(j -> j.getMetadata().getName().startsWith("rs-finalize-"))).hasSize(1);
    }

    @Test
    void aListInAConfigMapIsPlannedExactlyAndInlinedForTheWorkers() {
        createModel("cm", 8, 0, 1);
        trainAndPublish("cm", 8);
        client.resource(new ConfigMapBuilder().withNewMetadata().withName("ids")
                .endMetadata().addToData("list", "train-11\n# a comment\ntrain-12\n").build()).inNamespace(ns).create();
        createRequest("listed", "cm", "fromConfigMap: {name: ids, key: list}", "Exact");

        assertThat(awaitRequest("listed", RequestConditions.PLANNED).getStatus().getAffectedShards())
                .containsExactlyElementsOf(Unlearning.affectedShards(List.of("train-11", "train-12"), 42, 8, 2));
        awaitJob(j -> j.getMetadata().getName().startsWith("cm-unlearn-"));
        String file = client.configMaps().inNamespace(ns).withName("cm-requests-u1").get().getData().get("listed.yaml");
        assertThat(file).as("inlined as keyed digests: workers need no access to the requester's ConfigMap")
                .contains(namespaceIdKey().record("train-11")).contains(namespaceIdKey().record("train-12"))
                .doesNotContain("train-11").doesNotContain("fromConfigMap");
    }

    @Test
    void aSubjectIsPlannedOnItsHomeShardWhenTheModelIsPlacedBySubject() {
        createModel("subj", 8, 0, 1);
        trainAndPublish("subj", 8, ShardPlacement.BY_SUBJECT, Map.of());
        await().atMost(WAIT).until(() -> model("subj").getStatus().getPublished().getPlacement() == ShardPlacement.BY_SUBJECT);

        createRequest("by-id", "subj", "recordIds: [train-5]", "Exact");
        assertThat(awaitRequest("by-id", RequestConditions.PLANNED).getStatus().getAffectedShards())
                .as("a record's shard follows its subject, which only the data knows").hasSize(8);
        createRequest("person", "subj", "subjects: [person-3]", "Exact");
        assertThat(awaitRequest("person", RequestConditions.PLANNED).getStatus().getAffectedShards())
                .containsExactly(Placement.homeShard("person-3", 42, 8));
    }

    @Test
    void jobNamesTakenBeforehandAreNeverReadAndTheWorkRunsUnderFreshNames() {
        createModel("sq", 2, 0, 1);
        trainAndPublish("sq", 2);
        // Someone who can create Jobs in the namespace guesses the next run's names and ends them with forged
        // results before the request even exists: a published version, and an erasure that kept nothing.
        Job forgedFinalize = foreignJob("sq-finalize-u1-exact");
        succeedFinalize(forgedFinalize, 2);
        Job forgedErase = foreignJob("sq-erase-e1");
        kubelet.succeed(forgedErase, erased(2, 1));

        createRequest("forged", "sq", "recordIds: [train-3]", "Exact");
        kubelet.succeed(awaitJob(j -> j.getMetadata().getName().startsWith("sq-unlearn-u1")), UNLEARNED);
        Job finalize = awaitJob(j -> j.getMetadata().getName().startsWith("sq-finalize-u1-exact-"));
        await().atMost(WAIT).until(() -> model("sq").getStatus().unlearningLane().getActiveRun() != null
                && finalize.getMetadata().getUid().equals(model("sq").getStatus().unlearningLane().getActiveRun().getJobUid()));
        assertThat(request("forged").getStatus().condition(RequestConditions.VERIFIED).map(c -> c.getStatus()))
                .as("the forged finalize result was not read").isNotEqualTo(Optional.of("True"));
        await().atMost(WAIT).until(() -> client.v1().events().inNamespace(ns).list().getItems().stream()
                .anyMatch(e -> "JobNameTaken".equals(e.getReason()) && e.getMessage().contains("sq-finalize-u1-exact")));

        succeedFinalize(finalize, 2);
        Job erase = awaitJob(j -> j.getMetadata().getName().startsWith("sq-erase-e1-"));
        kubelet.succeed(erase, erased(2, 1));
        UnlearningRequest done = awaitRequest("forged", RequestConditions.COMPLETE);
        assertThat(done.getStatus().getJobNames()).contains(finalize.getMetadata().getName())
                .doesNotContain(forgedFinalize.getMetadata().getName());
        assertThat(client.batch().v1().jobs().inNamespace(ns).withName("sq-erase-e1").get().getMetadata().getUid())
                .as("the taken name is left to whoever holds it").isEqualTo(forgedErase.getMetadata().getUid());
    }

    /** A Job made to look like the operator's, by someone other than the operator. */
    Job foreignJob(String name) {
        return client.resource(new io.fabric8.kubernetes.api.model.batch.v1.JobBuilder()
                .withNewMetadata().withName(name).withNamespace(ns)
                    .addToLabels(Labels.MANAGED_BY, Labels.OPERATOR).endMetadata()
                .withNewSpec().withNewTemplate().withNewSpec().withRestartPolicy("Never")
                    .addNewContainer().withName("worker").withImage("busybox").endContainer()
                .endSpec().endTemplate().endSpec().build()).create();
    }

    @Test
    void aJobThatReportsNoResultIsAFailureNotAGuess() {
        createModel("mute", 2, 0, 1);
        kubelet.succeedWithMessage(awaitJob(j -> j.getMetadata().getName().startsWith("mute-train-")), "");
        kubelet.succeedWithMessage(awaitJob(j -> j.getMetadata().getName().startsWith("mute-publish-")), "");

        await().atMost(WAIT).until(() -> "True".equals(condition(model("mute"), ModelConditions.DEGRADED).getStatus()));
        assertThat(model("mute").getStatus().getPublished().getCurrentVersion()).isNull();
        assertThat(condition(model("mute"), ModelConditions.TRAINING).getReason()).isEqualTo("TrainingFailed");
        assertThat(model("mute").getStatus().trainingLane().getRun().getFailure()).contains("reported no version");
        assertThat(condition(model("mute"), ModelConditions.DEGRADED).getMessage()).contains("reported no version");
    }

    @Test
    void aFailedErasureKeepsTheRequestIncompleteSaysWhyAndIsRetried() {
        createModel("er", 2, 0, 1);
        trainAndPublish("er", 2);
        createRequest("gone", "er", "recordIds: [train-8]", "Exact");
        kubelet.succeed(awaitJob(j -> j.getMetadata().getName().startsWith("er-unlearn-")), UNLEARNED);
        succeedFinalize(awaitJob(j -> j.getMetadata().getName().startsWith("er-finalize-")), 2);
        kubelet.fail(awaitJob(j -> j.getMetadata().getName().equals("er-erase-e1")), ExitCode.STORE_ERROR,
                erased(2, 1));

        UnlearningRequest pending = awaitCondition("gone", RequestConditions.ERASED, "False");
        await().atMost(WAIT).until(() -> "ErasureFailed".equals(condition(request("gone"), RequestConditions.ERASED)
                .getReason()));
        assertThat(pending.getStatus().condition(RequestConditions.COMPLETE)).isEmpty();
        assertThat(condition(model("er"), ModelConditions.DEGRADED).getReason()).isEqualTo("ErasureFailed");
        assertThat(condition(request("gone"), RequestConditions.ERASED).getMessage()).contains("er-erase-e1");

        kubelet.succeed(awaitJob(j -> j.getMetadata().getName().equals("er-erase-e2")), erased(2, 1));
        assertThat(awaitRequest("gone", RequestConditions.COMPLETE).getStatus().getErasure().getErasedVersions())
                .containsExactly(1);
        await().atMost(WAIT).until(() -> "Healthy".equals(condition(model("er"), ModelConditions.DEGRADED).getReason()));
    }

    @Test
    void anApproximateForgetIsServedAtOnceAndRetrainedExactlyByItsDueTime() {
        createModelOwingExactRetrainsWithin4s("fu");
        trainAndPublish("fu", 4);
        createRequest("quick", "fu", "recordIds: [train-21]", "SCRUB");
        kubelet.succeed(awaitJob(j -> j.getMetadata().getName().equals("fu-unlearn-u1-scrub")), UNLEARNED);
        succeedFinalize(awaitJob(j -> j.getMetadata().getName().equals("fu-finalize-u1-scrub")), 2);
        kubelet.succeed(awaitJob(j -> j.getMetadata().getName().equals("fu-erase-e1")), erased(2, 1));

        UnlearningRequest forgotten = awaitRequest("quick", RequestConditions.EXACT_PENDING);
        assertThat(condition(forgotten, RequestConditions.FORGOTTEN).getReason()).isEqualTo("ForgottenApproximately");
        assertThat(forgotten.getStatus().getExactDue()).isNotNull();
        assertThat(forgotten.getStatus().condition(RequestConditions.COMPLETE)).isEmpty();

        Job exact = awaitJob(j -> j.getMetadata().getName().equals("fu-unlearn-u2-exact"));
        assertThat(exact.getSpec().getCompletions()).as("only the record's shard")
                .isEqualTo(Unlearning.affectedShards(List.of("train-21"), 42, 4, 2).size());
        kubelet.succeed(exact, UNLEARNED);
        succeedFinalize(awaitJob(j -> j.getMetadata().getName().equals("fu-finalize-u2-exact")), 3);
        kubelet.succeed(awaitJob(j -> j.getMetadata().getName().equals("fu-erase-e2")), erased(3, 2));
        UnlearningRequest complete = awaitRequest("quick", RequestConditions.COMPLETE);
        assertThat(complete.getStatus().getResultingVersion()).isEqualTo(3);
        assertThat(complete.getStatus().getGuarantee()).hasToString("EXACT");
        assertThat(condition(complete, RequestConditions.EXACT_PENDING).getStatus()).isEqualTo("False");
        assertThat(model("fu").getStatus().unlearningLane().getExactPending()).isEmpty();
    }

    @Test
    void anOwedExactRetrainSurvivesTheRequestsDeletionAndAFailedOneIsRetried() {
        createModelOwingExactRetrainsWithin4s("owed");
        trainAndPublish("owed", 4);
        createRequest("gone", "owed", "recordIds: [train-21]", "SCRUB");
        kubelet.succeed(awaitJob(j -> j.getMetadata().getName().equals("owed-unlearn-u1-scrub")), UNLEARNED);
        succeedFinalize(awaitJob(j -> j.getMetadata().getName().equals("owed-finalize-u1-scrub")), 2);
        kubelet.succeed(awaitJob(j -> j.getMetadata().getName().equals("owed-erase-e1")), erased(2, 1));
        awaitRequest("gone", RequestConditions.EXACT_PENDING);

        // The data owner's request is deleted while the approximate version still holds the record.
        client.resources(UnlearningRequest.class).inNamespace(ns).withName("gone").delete();
        await().atMost(WAIT).until(() -> client.v1().events().inNamespace(ns).list().getItems().stream()
                .anyMatch(e -> "ExactFollowUpOwed".equals(e.getReason())));
        assertThat(request("gone")).as("kept until the retrain lands").isNotNull();
        assertThat(request("gone").getMetadata().getDeletionTimestamp()).isNotNull();

        kubelet.fail(awaitJob(j -> j.getMetadata().getName().equals("owed-unlearn-u2-exact")), ExitCode.STORE_ERROR,
                UNLEARNED);
        await().atMost(WAIT).until(() -> model("owed").getStatus().unlearningLane().getExactPending().stream()
                .anyMatch(f -> f.getAttempts() == 1 && f.getLastFailure() != null));
        assertThat(condition(model("owed"), ModelConditions.DEGRADED).getStatus()).isEqualTo("True");
        await().atMost(WAIT).until(() -> client.v1().events().inNamespace(ns).list().getItems().stream()
                .anyMatch(e -> "ExactFollowUpRetrying".equals(e.getReason())));

        Job retried = awaitJob(j -> j.getMetadata().getName().equals("owed-unlearn-u3-exact"));
        assertThat(retried.getSpec().getCompletions()).isEqualTo(Unlearning.affectedShards(List.of("train-21"), 42, 4, 2)
                .size());
        kubelet.succeed(retried, UNLEARNED);
        succeedFinalize(awaitJob(j -> j.getMetadata().getName().equals("owed-finalize-u3-exact")), 3);
        await().atMost(WAIT).until(() -> model("owed").getStatus().unlearningLane().getExactPending().isEmpty());
        await().atMost(WAIT).until(() -> request("gone") == null);
        assertThat(model("owed").getStatus().getPublished().getCurrentVersion()).isEqualTo(3);
    }

    @Test
    void deletingAModelPurgesItsStoreFirstOnlyWhenItsPolicySaysDelete() {
        createModel("kept", 2, 0, 1);
        await().atMost(WAIT).until(() -> model("kept").getMetadata().getFinalizers() != null
                && !model("kept").getMetadata().getFinalizers().isEmpty());
        client.resources(ShardedModel.class).inNamespace(ns).withName("kept").delete();
        await().atMost(WAIT).until(() -> model("kept") == null);
        assertThat(client.batch().v1().jobs().inNamespace(ns).withName("kept-purge").get()).as("Retain").isNull();

        createModel("purged", 2, 0, 1, "Delete");
        await().atMost(WAIT).until(() -> model("purged").getMetadata().getFinalizers() != null
                && !model("purged").getMetadata().getFinalizers().isEmpty());
        client.resources(ShardedModel.class).inNamespace(ns).withName("purged").delete();
        Job purge = awaitJob(j -> j.getMetadata().getName().equals("purged-purge"));
        assertThat(purge.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs()).startsWith("purge");
        assertThat(model("purged")).as("kept until the store is purged").isNotNull();
        kubelet.fail(purge, ExitCode.STORE_ERROR, new PurgeResult("purged", 0, 0));
        await().atMost(WAIT).until(() -> model("purged").getStatus().condition(ModelConditions.DEGRADED)
                .map(c -> "PurgeFailed".equals(c.getReason())).orElse(false));
        assertThat(condition(model("purged"), ModelConditions.DEGRADED).getMessage())
                .contains("deletionPolicy: Retain");

        // The documented way out: keep the store and let the deletion finish.
        client.resources(ShardedModel.class).inNamespace(ns).withName("purged").patch(
                PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"storage\":{\"deletionPolicy\":\"Retain\"}}}");
        await().atMost(WAIT).until(() -> model("purged") == null);

        createModel("wiped", 2, 0, 1, "Delete");
        await().atMost(WAIT).until(() -> model("wiped").getMetadata().getFinalizers() != null
                && !model("wiped").getMetadata().getFinalizers().isEmpty());
        client.resources(ShardedModel.class).inNamespace(ns).withName("wiped").delete();
        kubelet.succeed(awaitJob(j -> j.getMetadata().getName().equals("wiped-purge")), new PurgeResult("wiped", 12, 1));
        await().atMost(WAIT).until(() -> model("wiped") == null);

        // A runtime the installation does not allow is not run by the purge either, deletion or not.
        client.resource("""
                apiVersion: unlearning.dev/v1alpha1
                kind: ShardedModel
                metadata: {name: sneaky}
                spec:
                  dataset: {uri: "file:///usr/share/datasets/fashion-mnist"}
                  storage: {uri: "pvc://models/sneaky", deletionPolicy: Delete}
                  runtime: {image: "evil.example/anything:1"}
                """).inNamespace(ns).create();
        await().atMost(WAIT).until(() -> model("sneaky").getMetadata().getFinalizers() != null
                && !model("sneaky").getMetadata().getFinalizers().isEmpty());
        client.resources(ShardedModel.class).inNamespace(ns).withName("sneaky").delete();
        await().atMost(WAIT).until(() -> model("sneaky").getStatus() != null && model("sneaky").getStatus()
                .condition(ModelConditions.DEGRADED).map(c -> c.getMessage().contains("does not allow")).orElse(false));
        assertThat(client.batch().v1().jobs().inNamespace(ns).withName("sneaky-purge").get()).isNull();
        client.resources(ShardedModel.class).inNamespace(ns).withName("sneaky").patch(
                PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"storage\":{\"deletionPolicy\":\"Retain\"}}}");
        await().atMost(WAIT).until(() -> model("sneaky") == null);
    }

    @Test
    void aStoreTheModelMovesAwayFromIsRecordedAsAbandonedWithItsVersions() {
        createModel("mover", 2, 0, 1);
        trainAndPublish("mover", 2);
        assertThat(model("mover").getStatus().getPublished().getStoreUri()).isEqualTo("pvc://models/mover");
        client.resources(ShardedModel.class).inNamespace(ns).withName("mover").patch(
                PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"storage\":{\"uri\":\"pvc://models/elsewhere\"}}}");
        await().atMost(WAIT).until(() -> !model("mover").getStatus().getPublished().getAbandonedStores().isEmpty());
        var left = model("mover").getStatus().getPublished().getAbandonedStores().get(0);
        assertThat(left.getUri()).isEqualTo("pvc://models/mover");
        assertThat(left.getVersions()).containsExactly(1);
        assertThat(model("mover").getStatus().getPublished().getStoreUri()).isEqualTo("pvc://models/elsewhere");
        await().atMost(WAIT).until(() -> client.v1().events().inNamespace(ns).list().getItems().stream()
                .anyMatch(e -> "StoreAbandoned".equals(e.getReason()) && e.getMessage().contains("pvc://models/mover")));
    }

    @Test
    void anApiErrorIsReportedOnTheModelNotOnlyInLogs() {
        // A CPU request above its limit passes the CRD (resources are Kubernetes' own type) but not the Job API.
        String name = "greedy";
        client.resource("""
                apiVersion: unlearning.dev/v1alpha1
                kind: ShardedModel
                metadata: {name: %s}
                spec:
                  dataset: {uri: "file:///usr/share/datasets/fashion-mnist"}
                  storage: {uri: "pvc://models/%s"}
                  runtime: {resources: {requests: {cpu: "2"}, limits: {cpu: "1"}}}
                """.formatted(name, name)).inNamespace(ns).create();
        await().atMost(WAIT).until(() -> model(name).getStatus() != null && model(name).getStatus()
                .condition(ModelConditions.DEGRADED).map(c -> "ReconcileError".equals(c.getReason())).orElse(false));
        var degraded = condition(model(name), ModelConditions.DEGRADED);
        assertThat(degraded.getStatus()).isEqualTo("True");
        assertThat(degraded.getMessage()).contains("API error 422").contains("less than or equal to");
    }

    @Test
    void requestsForMissingModelsAndPastDeadlinesAreReported() {
        createRequest("lost", "nowhere", "labels: [1]", "Exact");
        UnlearningRequest lost = awaitCondition("lost", RequestConditions.ACCEPTED, "False");
        assertThat(condition(lost, RequestConditions.ACCEPTED).getReason()).isEqualTo("ModelNotFound");

        createModel("late", 2, 0, 3600);
        client.resource("""
                apiVersion: unlearning.dev/v1alpha1
                kind: UnlearningRequest
                metadata: {name: overdue}
                spec:
                  modelRef: {name: late}
                  forget: {recordIds: [train-1]}
                  deadline: "2020-01-01T00:00:00Z"
                """).inNamespace(ns).create();
        UnlearningRequest overdue = awaitRequest("overdue", RequestConditions.DEADLINE_EXCEEDED);
        assertThat(overdue.getStatus().getDeadlineExceeded()).isTrue();
        await().atMost(WAIT).until(() -> client.v1().events().inNamespace(ns).list().getItems().stream()
                .anyMatch(e -> "DeadlineExceeded".equals(e.getReason()) && "Warning".equals(e.getType())));
    }

    @Test
    void aDatasetRequestMakesEveryModelOnItForgetAndTheLedgerKeepsLaterModelsFromTheRecords() {
        String dataset = "file:///usr/share/datasets/fashion-mnist";
        assertThatThrownBy(() -> client.resource("""
                apiVersion: unlearning.dev/v1alpha1
                kind: UnlearningRequest
                metadata: {name: both}
                spec:
                  modelRef: {name: a}
                  datasetRef: {uri: "%s"}
                  forget: {recordIds: [train-5]}
                """.formatted(dataset)).inNamespace(ns).create()).isInstanceOf(KubernetesClientException.class)
                .hasMessageContaining("exactly one of modelRef or datasetRef");
        for (String name : List.of("a", "b")) {
            createModel(name, 2, 1, 1);
            trainAndPublish(name, 2);
            kubelet.rollOut(awaitDeployment(name + "-serving", 1));
        }
        client.resource("""
                apiVersion: unlearning.dev/v1alpha1
                kind: UnlearningRequest
                metadata: {name: everyone}
                spec:
                  datasetRef: {uri: "%s/"}
                  forget: {recordIds: [train-5, train-9]}
                  method: Exact
                """.formatted(dataset)).inNamespace(ns).create();
        UnlearningRequest parent = awaitRequest("everyone", RequestConditions.ACCEPTED);
        assertThat(parent.getStatus().getModels()).extracting(ModelProgress::getModel, ModelProgress::getRequest)
                .containsExactly(tuple("a", "everyone-a"), tuple("b", "everyone-b"));
        List<ForgetLedger> ledger = ledger(dataset);
        assertThat(ledger).singleElement().satisfies(l -> {
            assertThat(l.getMetadata().getName()).isEqualTo(parent.getStatus().getLedger().getName())
                    .startsWith(ForgetLedger.nameFor(dataset) + "-");
            assertThat(l.getSpec().getDatasetUri()).isEqualTo(dataset);
        });
        assertThat(ledger.get(0).getSpec().getEntries()).singleElement().satisfies(e -> {
            assertThat(e.getRequest()).isEqualTo("everyone");
            assertThat(e.getRecordIds()).as("the ledger outlives the request: it names nobody").isNull();
            assertThat(e.getRecordDigests()).containsExactlyInAnyOrder(namespaceIdKey().record("train-5"),
                    namespaceIdKey().record("train-9"));
            assertThat(e.getDataDigest()).as("the data the ids were filed against").isEqualTo("data-1");
            assertThat(e.getIdKeyId()).as("the key the digests were made with").isEqualTo(namespaceIdKey().id());
        });

        for (String name : List.of("a", "b")) {
            UnlearningRequest child = awaitRequest("everyone-" + name, RequestConditions.ACCEPTED);
            assertThat(child.getSpec().getModelRef().getName()).isEqualTo(name);
            assertThat(child.getMetadata().getOwnerReferences()).singleElement()
                    .satisfies(o -> assertThat(o.getUid()).isEqualTo(parent.getMetadata().getUid()));
            kubelet.succeed(awaitJob(j -> j.getMetadata().getName().startsWith(name + "-unlearn-")), UNLEARNED);
            succeedFinalize(awaitJob(j -> j.getMetadata().getName().startsWith(name + "-finalize-")), 2);
            kubelet.rollOut(awaitDeployment(name + "-serving", 2));
            assertThat(request("everyone").getStatus().condition(RequestConditions.COMPLETE))
                    .as("not Complete while model %s still keeps older versions", name).isEmpty();
            kubelet.succeed(awaitJob(j -> j.getMetadata().getName().equals(name + "-erase-e1")), erased(2, 1));
            awaitRequest("everyone-" + name, RequestConditions.COMPLETE);
        }
        UnlearningRequest complete = awaitRequest("everyone", RequestConditions.COMPLETE);
        assertThat(condition(complete, RequestConditions.COMPLETE).getReason()).isEqualTo("Complete");
        assertThat(complete.getStatus().getModels()).allSatisfy(p -> {
            assertThat(p.getPhase()).isEqualTo("Complete");
            assertThat(p.getResultingVersion()).isEqualTo(2);
        });
        assertThat(ledger(dataset)).as("the per-model requests add nothing of their own").hasSize(1);

        // A model created later on the same data gets the ledger with its training Job.
        createModel("c", 2, 0, 1);
        Job train = awaitJob(j -> j.getMetadata().getName().startsWith("c-train-"));
        var pod = train.getSpec().getTemplate().getSpec();
        assertThat(pod.getContainers().get(0).getArgs()).contains("--ledger");
        String configMap = pod.getVolumes().stream().filter(v -> v.getConfigMap() != null)
                .map(v -> v.getConfigMap().getName()).filter(n -> n.startsWith("c-ledger-")).findFirst().orElseThrow();
        String copied = client.configMaps().inNamespace(ns).withName(configMap).get().getData().get("ledger.yaml");
        ForgetLedger copy = client.getKubernetesSerialization().unmarshal(copied, ForgetLedger.class);
        assertThat(copied).doesNotContain("train-5");
        assertThat(copy.getSpec().getEntries()).singleElement().satisfies(e -> assertThat(e.getRecordDigests())
                .containsExactlyInAnyOrder(namespaceIdKey().record("train-5"), namespaceIdKey().record("train-9")));
    }

    @Test
    void aRuntimeImageOrAccountOutsideTheAllowListsStartsNothingAndSaysWhy() {
        client.resource("""
                apiVersion: unlearning.dev/v1alpha1
                kind: ShardedModel
                metadata: {name: miner}
                spec:
                  dataset: {uri: "file:///usr/share/datasets/fashion-mnist"}
                  storage: {uri: "pvc://models/miner"}
                  runtime: {image: "docker.io/someone/miner:1", serviceAccountName: default}
                """).inNamespace(ns).create();
        await().atMost(WAIT).until(() -> model("miner").getStatus() != null && model("miner").getStatus()
                .condition(ModelConditions.DEGRADED).map(c -> "RuntimeNotAllowed".equals(c.getReason())).orElse(false));
        assertThat(condition(model("miner"), ModelConditions.DEGRADED).getMessage())
                .contains("runtime.image docker.io/someone/miner:1 is not allowed")
                .contains("runtime.serviceAccountName default is not allowed");
        assertThat(condition(model("miner"), ModelConditions.READY).getReason()).isEqualTo("RuntimeNotAllowed");
        assertThat(client.batch().v1().jobs().inNamespace(ns).list().getItems()).isEmpty();
        assertThat(client.configMaps().inNamespace(ns).withName("miner-model").get()).isNull();
    }

    @Test
    void aStatusStoredInTheFlatShapeOfAnOlderOperatorIsMovedIntoItsGroupsAndNothingRestarts() {
        createModel("old", 2, 0, 1);
        trainAndPublish("old", 2);
        ShardedModelStatus grouped = model("old").getStatus();
        operator.stop();
        // What an older operator stored: the same facts, flat. The schema still names those fields, so the API
        // server keeps them instead of pruning them.
        var stored = client.genericKubernetesResources("unlearning.dev/v1alpha1", "ShardedModel").inNamespace(ns)
                .withName("old").get();
        stored.setAdditionalProperty("status", flat(grouped));
        client.genericKubernetesResources("unlearning.dev/v1alpha1", "ShardedModel").inNamespace(ns).resource(stored)
                .updateStatus();
        assertThat(rawStatus("old")).containsKeys("currentVersion", "trainingsStarted", "trainedFingerprint")
                .doesNotContainKeys("published", "lanes");
        long trainingJobs = jobNamed("old-train-");

        operator = startOperator();

        await().atMost(WAIT).until(() -> !rawStatus("old").containsKey("currentVersion"));
        assertThat(rawStatus("old")).doesNotContainKeys("servingVersion", "trainingsStarted", "trainedFingerprint",
                "versions", "shards", "batchesStarted", "erasuresStarted");
        ShardedModelStatus migrated = model("old").getStatus();
        assertThat(migrated.getPublished()).isEqualTo(grouped.getPublished());
        assertThat(migrated.trainingLane()).isEqualTo(grouped.trainingLane());
        assertThat(migrated.unlearningLane()).isEqualTo(grouped.unlearningLane());
        assertThat(jobNamed("old-train-")).as("the migrated fingerprint matches the spec: no retraining")
                .isEqualTo(trainingJobs);
        await().atMost(WAIT).until(() -> client.v1().events().inNamespace(ns).list().getItems().stream()
                .anyMatch(e -> "StatusMigrated".equals(e.getReason())
                        && "old".equals(e.getInvolvedObject().getName())));
        // And it goes on from there: the next run is u1, the version after the migrated one.
        client.resource("""
                apiVersion: unlearning.dev/v1alpha1
                kind: UnlearningRequest
                metadata: {name: after-migration}
                spec:
                  modelRef: {name: old}
                  forget: {recordIds: [train-3]}
                  method: Exact
                """).inNamespace(ns).create();
        kubelet.succeed(awaitJob(j -> j.getMetadata().getName().startsWith("old-unlearn-u1")), UNLEARNED);
        succeedFinalize(awaitJob(j -> j.getMetadata().getName().startsWith("old-finalize-u1")), 2);
        await().atMost(WAIT).until(() -> Integer.valueOf(2).equals(model("old").getStatus().getPublished()
                .getCurrentVersion()));
    }

    /** The grouped status as an older operator would have stored it: every field at the top, by its old name. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> flat(ShardedModelStatus grouped) {
        ObjectMapper mapper = new ObjectMapper();
        JsonNode tree = mapper.valueToTree(new KubernetesSerialization().convertValue(grouped, Map.class));
        Map<String, Object> flat = new LinkedHashMap<>(mapper.convertValue(tree, Map.class));
        flat.keySet().removeAll(List.of("published", "lanes", "serving"));
        flat.putAll(mapper.convertValue(tree.get("published"), Map.class));
        Map<String, String> oldNames = Map.ofEntries(Map.entry("serving/version", "servingVersion"),
                Map.entry("serving/endpoint", "endpoint"), Map.entry("lanes/training/run", "training"),
                Map.entry("lanes/training/started", "trainingsStarted"),
                Map.entry("lanes/training/fingerprint", "trainedFingerprint"),
                Map.entry("lanes/unlearning/activeRun", "activeBatch"),
                Map.entry("lanes/unlearning/started", "batchesStarted"), Map.entry("lanes/unlearning/runs", "runs"),
                Map.entry("lanes/unlearning/exactPending", "exactPending"),
                Map.entry("lanes/unlearning/lastFailure", "lastFailure"), Map.entry("lanes/erasure/run", "erasure"),
                Map.entry("lanes/erasure/started", "erasuresStarted"), Map.entry("lanes/erasure/last", "lastErasure"),
                Map.entry("lanes/erasure/failure", "erasureFailure"),
                Map.entry("lanes/erasure/failedAt", "erasureFailedAt"));
        oldNames.forEach((pointer, old) -> {
            JsonNode value = tree.at("/" + pointer);
            if (!value.isMissingNode() && !value.isNull()) {
                flat.put(old, mapper.convertValue(value, Object.class));
            }
        });
        return flat;
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> rawStatus(String model) {
        return (Map<String, Object>) client.genericKubernetesResources("unlearning.dev/v1alpha1", "ShardedModel")
                .inNamespace(ns).withName(model).get().getAdditionalProperties().get("status");
    }

    long jobNamed(String prefix) {
        return client.batch().v1().jobs().inNamespace(ns).list().getItems().stream()
                .filter(j -> j.getMetadata().getName().startsWith(prefix)).count();
    }

    @Test
    void aFinishedRequestWithATtlGoesAwayButItsCertificateAndLedgerEntryStay() {
        createModel("t", 2, 0, 1);
        trainAndPublish("t", 2);
        client.resource("""
                apiVersion: unlearning.dev/v1alpha1
                kind: UnlearningRequest
                metadata: {name: short-lived}
                spec:
                  modelRef: {name: t}
                  forget: {recordIds: [train-11]}
                  method: Exact
                  ttlSecondsAfterFinished: 2
                """).inNamespace(ns).create();
        kubelet.succeed(awaitJob(j -> j.getMetadata().getName().startsWith("t-unlearn-")), UNLEARNED);
        succeedFinalize(awaitJob(j -> j.getMetadata().getName().startsWith("t-finalize-")), 2);
        kubelet.succeed(awaitJob(j -> j.getMetadata().getName().equals("t-erase-e1")), erased(2, 1));
        var certificate = awaitRequest("short-lived", RequestConditions.COMPLETE).getStatus().getCertificate();

        await().atMost(WAIT).until(() -> request("short-lived") == null);
        assertThat(signedStatement(certificate).path("predicate").path("requests").path(0).path("name").asText())
                .as("the certificate outlives the request").isEqualTo("short-lived");
        assertThat(ledger("file:///usr/share/datasets/fashion-mnist")).flatExtracting(l -> l.getSpec().getEntries())
                .anySatisfy(e -> assertThat(e.getRequest()).isEqualTo("short-lived"));
    }

    @Test
    void aTrainingWhoseDatasetLedgerGrewMeanwhileTrainsAgainInsteadOfPublishing() {
        createModel("d", 2, 0, 1);
        Job first = awaitJob(j -> j.getMetadata().getName().startsWith("d-train-"));
        assertThat(first.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs()).doesNotContain("--ledger");
        client.resource("""
                apiVersion: unlearning.dev/v1alpha1
                kind: UnlearningRequest
                metadata: {name: meanwhile}
                spec:
                  datasetRef: {uri: "file:///usr/share/datasets/fashion-mnist"}
                  forget: {recordIds: [train-8]}
                """).inNamespace(ns).create();
        await().atMost(WAIT).until(() -> request("meanwhile").getStatus() != null
                && request("meanwhile").getStatus().getLedger() != null);

        kubelet.succeedWithMessage(first, "");

        Job second = awaitJob(j -> j.getMetadata().getName().startsWith("d-train-") && !j.getMetadata().getName()
                .equals(first.getMetadata().getName()));
        assertThat(second.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs()).contains("--ledger");
        assertThat(client.batch().v1().jobs().inNamespace(ns).list().getItems())
                .noneMatch(j -> j.getMetadata().getName().startsWith("d-publish-"));
        assertThat(model("d").getStatus().trainingLane().getRun().getLedger()).isNotNull();
    }

    // --- helpers -------------------------------------------------------------------------------------------

    /** The dataset's ledger entries: one ForgetLedger per request, labelled with the dataset. */
    List<ForgetLedger> ledger(String dataset) {
        return client.resources(ForgetLedger.class).inNamespace(ns).withLabel(Labels.DATASET,
                ForgetLedger.nameFor(dataset).substring("dataset-".length())).list().getItems();
    }

    /** The statement of a certificate ConfigMap, once it verifies with the keys the operator published. */
    /** The namespace's id-digest key as the operator made it and worker pods read it. */
    IdDigestKey namespaceIdKey() {
        String key = client.secrets().inNamespace(ns).withName("unlearning-id-key").get().getData().get("key");
        return new IdDigestKey(new String(java.util.Base64.getDecoder().decode(key), StandardCharsets.UTF_8).strip()
                .getBytes(StandardCharsets.UTF_8));
    }

    JsonNode signedStatement(CertificateReference reference) {
        String envelope = client.configMaps().inNamespace(ns).withName(reference.getLocation()
                .replaceFirst("^configmap/", "")).get().getData().get(CertificateIssuer.CERTIFICATE_FILE);
        assertThat(Digests.sha256(envelope.getBytes(StandardCharsets.UTF_8))).isEqualTo(reference.getDigest());
        var keys = TrustedKeys.parse(client.configMaps().inNamespace(ns).withName(TrustedKeys.CONFIGMAP).get().getData()
                .get(TrustedKeys.FILE)).publicKeys();
        assertThat(keys).containsKey(reference.getKeyId());
        byte[] payload = Dsse.verify(Dsse.Envelope.parse(envelope.getBytes(StandardCharsets.UTF_8)), keys);
        assertThat(Attestations.parse(payload).predicate().namespace()).as("it reads as its typed predicate")
                .isEqualTo(ns);
        // The wire form itself, read without the project's types, as an auditor's own tool would.
        try {
            return new ObjectMapper().readTree(payload);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    void createModel(String name, int shards, int replicas, int windowSeconds) {
        createModel(name, shards, replicas, windowSeconds, "Retain");
    }

    void createModel(String name, int shards, int replicas, int windowSeconds, String deletionPolicy) {
        createModel(name, shards, replicas, windowSeconds, deletionPolicy, "Auto");
    }

    /** {@code autoMethod}: what requests that say Auto try first (Auto: the route for their kind). */
    void createModel(String name, int shards, int replicas, int windowSeconds, String deletionPolicy,
            String autoMethod) {
        client.resource("""
                apiVersion: unlearning.dev/v1alpha1
                kind: ShardedModel
                metadata: {name: %s}
                spec:
                  dataset: {uri: "file:///usr/share/datasets/fashion-mnist"}
                  storage: {uri: "pvc://models/%s", deletionPolicy: %s}
                  sharding: {shards: %d, slices: 2}
                  serving: {replicas: %d}
                  verification: {maxForgetAccuracy: 0.02}
                  unlearning: {batchingWindowSeconds: %d, method: %s}
                """.formatted(name, name, deletionPolicy, shards, replicas, windowSeconds, autoMethod)).inNamespace(ns)
                .create();
    }

    /** Four shards, no serving, and exact retrains owed four seconds after an approximate version. */
    void createModelOwingExactRetrainsWithin4s(String name) {
        client.resource("""
                apiVersion: unlearning.dev/v1alpha1
                kind: ShardedModel
                metadata: {name: %s}
                spec:
                  dataset: {uri: "file:///usr/share/datasets/fashion-mnist"}
                  storage: {uri: "pvc://models/%s"}
                  sharding: {shards: 4, slices: 2}
                  serving: {replicas: 0}
                  unlearning: {batchingWindowSeconds: 1, exactWithin: 4s}
                """.formatted(name, name)).inNamespace(ns).create();
    }

    void createRequest(String name, String model, String selector, String method) {
        client.resource("""
                apiVersion: unlearning.dev/v1alpha1
                kind: UnlearningRequest
                metadata: {name: %s}
                spec:
                  modelRef: {name: %s}
                  forget: {%s}
                  method: %s
                """.formatted(name, model, selector, method)).inNamespace(ns).create();
    }

    void trainAndPublish(String model, int shards) {
        trainAndPublish(model, shards, null, null);
    }

    void trainAndPublish(String model, int shards, ShardPlacement placement, Map<String, Integer> spread) {
        kubelet.succeedWithMessage(awaitJob(j -> j.getMetadata().getName().startsWith(model + "-train-")), "");
        List<ShardSummary> summaries = IntStream.range(0, shards)
                .mapToObj(s -> new ShardSummary(s, 100, 1000, 0.3, 0.8, "shard-digest-" + s)).toList();
        kubelet.succeed(awaitJob(j -> j.getMetadata().getName().startsWith(model + "-publish-")),
                new TrainingResult(model, 1, "run", summaries, 1.0, "digest-1", "data-1", placement, spread));
        await().atMost(WAIT).until(() -> Integer.valueOf(1).equals(model(model).getStatus().getPublished().getCurrentVersion()));
    }

    /** What an unlearning pod reports; the operator only needs its Job to succeed. */
    static final UnlearnShardResult UNLEARNED = new UnlearnShardResult("run", 0, true, 100, 1.0);

    /** Ends a finalize Job the way a worker that held its gate would: published, with passing measurements. */
    void succeedFinalize(Job finalize, int version) {
        kubelet.succeed(finalize, finalizeResult(finalize, version));
    }

    /**
     * What a finalize pod reports when the candidate met the gate its Job was given: for every threshold in the
     * Job's arguments a measurement within it, and a base version that missed each forgetting check (the evidence an
     * approximate method needs). The operator re-applies the gate to these numbers before it serves or signs.
     */
    static FinalizeResult finalizeResult(Job finalize, int version) {
        VerificationSpec gate = JobFactory.gateOf(finalize);
        Map<Metric, Double> before = new EnumMap<>(Metric.class);
        Map<Metric, Double> after = new EnumMap<>(Metric.class);
        before.put(Metric.TEST_ACCURACY, 0.85);
        after.put(Metric.TEST_ACCURACY, 0.84);
        for (Threshold threshold : Threshold.values()) {
            Double limit = threshold.limit(gate);
            if (limit == null) {
                continue;
            }
            double outside = threshold.bound() == Threshold.Bound.MAX ? limit + 0.5 : limit - 0.5;
            after.put(threshold.metric(), limit);
            before.put(threshold.metric(), threshold.forgetting() ? outside : limit);
            if (threshold.noise() != null) {
                after.put(threshold.noise(), 0.0);
                before.put(threshold.noise(), 0.0);
            }
        }
        return new FinalizeResult("run", true, version, version - 1, "digest-" + (version - 1), "digest-" + version,
                UnlearningMethod.EXACT, List.of(0), 2, 0, List.of(), new Measurements(before), new Measurements(after),
                "models/m/certificates/x.json", "cert-digest-" + version, Map.of(), "tombstones-" + version);
    }

    static ErasureResult erased(int served, int erasedVersion) {
        return new ErasureResult("m", served, List.of(served), List.of(erasedVersion), 7, List.of("blob-digest"), 3, 2,
                "models/m/certificates/erasure.json", "erasure-digest-" + served);
    }

    static FinalizeResult gateFailed(double forgetAccuracy) {
        return new FinalizeResult("run", false, null, 1, "digest-1", "digest-x", UnlearningMethod.SCRUB, List.of(0), 2, 0,
                List.of(new GateFailure(Threshold.MAX_FORGET_ACCURACY, forgetAccuracy, 0.02)), Measurements.none(),
                new Measurements(Map.of(Metric.FORGET_ACCURACY, forgetAccuracy)), null, null, Map.of(), null);
    }

    UnlearningRequest request(String name) {
        return client.resources(UnlearningRequest.class).inNamespace(ns).withName(name).get();
    }

    ShardedModel model(String name) {
        return client.resources(ShardedModel.class).inNamespace(ns).withName(name).get();
    }

    Job awaitJob(Predicate<Job> which) {
        return await().atMost(WAIT).until(() -> client.batch().v1().jobs().inNamespace(ns).list().getItems().stream()
                .filter(which).findFirst().orElse(null), Objects::nonNull);
    }

    /** Waits until the model's status follows {@code job} (by uid), as a restart must find it. */
    Job awaitRecorded(String model, Job job) {
        await().atMost(WAIT).until(() -> {
            var current = model(model).getStatus().getLanes().currentJob();
            return current != null && job.getMetadata().getUid().equals(current.getJobUid());
        });
        return job;
    }

    List<Job> unlearnJobs(String model) {
        return client.batch().v1().jobs().inNamespace(ns).list().getItems().stream()
                .filter(j -> j.getMetadata().getName().startsWith(model + "-unlearn-")).toList();
    }

    Deployment awaitDeployment(String name, int version) {
        return await().atMost(WAIT).until(() -> client.apps().deployments().inNamespace(ns).withName(name).get(),
                d -> d != null && String.valueOf(version).equals(
                        d.getSpec().getTemplate().getMetadata().getAnnotations().get(Labels.VERSION)));
    }

    UnlearningRequest awaitRequest(String name, String condition) {
        return awaitCondition(name, condition, "True");
    }

    UnlearningRequest awaitCondition(String name, String type, String status) {
        return await().atMost(WAIT).until(() -> client.resources(UnlearningRequest.class).inNamespace(ns)
                .withName(name).get(), r -> r.getStatus() != null && r.getStatus().condition(type)
                        .map(c -> status.equals(c.getStatus())).orElse(false));
    }

    static Condition condition(ShardedModel model, String type) {
        return model.getStatus().condition(type).orElseThrow();
    }

    static Condition condition(UnlearningRequest request, String type) {
        return request.getStatus().condition(type).orElseThrow();
    }


}
