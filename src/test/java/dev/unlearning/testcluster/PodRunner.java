package dev.unlearning.testcluster;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * Test and demo infrastructure, not product code: plays the kubelet for pods the scheduler placed on the
 * local cluster's fake nodes. Each pod's single container runs as a local process with the pod's args and
 * environment: the project's own jar, or, for an image a test names in {@code entrypoints}, that image's
 * entrypoint (a worker in another language); its volumes become local directories (ConfigMaps and Secrets written
 * out, claims under one root), ports are remapped to free ones, and the pod status reports phase, readiness
 * (serving pods: once their readiness path answers), exit code and termination message as a kubelet would.
 */
public final class PodRunner implements AutoCloseable {

    private final KubernetesClient client;
    private final String namespace;
    private final Path root;
    private final Path jar;
    /** JVM options that map the worker jar's classes from a shared archive, or none if it could not be made. */
    private final List<String> classData;
    private final Map<String, List<String>> entrypoints;
    private final Map<String, Running> running = new ConcurrentHashMap<>();
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final HttpClient http = HttpClient.newHttpClient();
    private final SharedIndexInformer<Pod> informer;

    /** A pod's process and, for servers, the local port its --port became. */
    public record Running(Process process, Integer port) {
    }

    public PodRunner(KubernetesClient client, String namespace, Path root) {
        this(client, namespace, root, Map.of());
    }

    /**
     * @param entrypoints by image prefix, the command that stands for that image's ENTRYPOINT; the pod's args follow
     *        it, as a container runtime would append them. Images matching no prefix run the project's jar.
     */
    public PodRunner(KubernetesClient client, String namespace, Path root, Map<String, List<String>> entrypoints) {
        this.entrypoints = Map.copyOf(entrypoints);
        this.client = client;
        this.namespace = namespace;
        this.root = root;
        this.jar = ProjectPaths.root().resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.isReadable(jar)) {
            throw new IllegalStateException(jar + " is missing: run ./mvnw package -DskipTests first");
        }
        this.classData = classDataArchive(jar, root);
        // An informer rather than a bare watch: it lists and watches again after the API server restarts.
        this.informer = client.pods().inNamespace(namespace).inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
                onPod(pod);
            }

            @Override
            public void onUpdate(Pod old, Pod pod) {
                onPod(pod);
            }

            @Override
            public void onDelete(Pod pod, boolean unknownFinalState) {
                Running r = running.remove(pod.getMetadata().getName());
                if (r != null && r.process() != null) {
                    r.process().destroy();
                }
            }
        });
    }

    /** Claims (pvc://claim/...) live under this directory. */
    public Path claims() {
        return root.resolve("pvc");
    }

    /** The local port of a running serving pod, by pod name prefix. */
    public Integer portOf(String podNamePrefix) {
        return running.entrySet().stream().filter(e -> e.getKey().startsWith(podNamePrefix) && e.getValue().port() != null
                        && e.getValue().process() != null && e.getValue().process().isAlive())
                .map(e -> e.getValue().port()).findFirst().orElse(null);
    }

    /** The logs of every pod whose name starts with the prefix, replacements included. */
    public String logs(String podNamePrefix) throws IOException {
        StringBuilder all = new StringBuilder();
        try (var pods = Files.list(root.resolve("pods"))) {
            for (Path pod : pods.filter(p -> p.getFileName().toString().startsWith(podNamePrefix)).sorted().toList()) {
                all.append(Files.readString(pod.resolve("log")));
            }
        }
        return all.toString();
    }

    /** Kills the worker process of a pod, as a node failure or OOM kill would. */
    public boolean kill(String podNamePrefix) {
        for (var e : running.entrySet()) {
            if (e.getKey().startsWith(podNamePrefix) && e.getValue().process() != null
                    && e.getValue().process().isAlive()) {
                e.getValue().process().destroyForcibly();
                return true;
            }
        }
        return false;
    }

    private synchronized void onPod(Pod pod) {
        String name = pod.getMetadata().getName();
        if (pod.getMetadata().getDeletionTimestamp() != null) {
            Running r = running.remove(name);
            if (r != null && r.process() != null) {
                r.process().destroy();
            }
            executor.submit(() -> client.pods().inNamespace(namespace).withName(name).withGracePeriod(0).delete());
            return;
        }
        if (pod.getSpec().getNodeName() == null || running.containsKey(name)
                || (pod.getStatus() != null && pod.getStatus().getPhase() != null && !"Pending".equals(pod.getStatus().getPhase()))) {
            return;
        }
        try {
            running.put(name, new Running(null, null));
            Running r = launch(pod);
            running.put(name, r);
            executor.submit(() -> follow(pod, r));
        } catch (IOException e) {
            running.remove(name);
            throw new UncheckedIOException(e);
        }
    }

    private Running launch(Pod pod) throws IOException {
        Path podDir = Files.createDirectories(root.resolve("pods").resolve(pod.getMetadata().getName()));
        Container container = pod.getSpec().getContainers().get(0);
        Map<String, Path> mounts = new LinkedHashMap<>();
        for (VolumeMount mount : container.getVolumeMounts()) {
            Volume volume = pod.getSpec().getVolumes().stream().filter(v -> v.getName().equals(mount.getName()))
                    .findFirst().orElseThrow();
            mounts.put(mount.getMountPath(), materialize(volume, podDir));
        }
        Path terminationLog = podDir.resolve("termination-log");
        Map<String, String> env = new LinkedHashMap<>();
        for (var from : container.getEnvFrom()) {
            if (from.getSecretRef() != null) {
                var secret = client.secrets().inNamespace(namespace).withName(from.getSecretRef().getName()).get();
                if (secret != null && secret.getData() != null) {
                    secret.getData().forEach((k, v) -> env.put(k, decode(v)));
                }
            }
        }
        Integer port = null;
        for (EnvVar var : container.getEnv()) {
            if (var.getValueFrom() != null && var.getValueFrom().getSecretKeyRef() != null) {
                // As the kubelet does: an optional key the Secret lacks sets nothing (an earlier value stays).
                secretValue(var.getValueFrom().getSecretKeyRef()).ifPresent(v -> env.put(var.getName(), v));
            } else {
                env.put(var.getName(), value(var, pod));
            }
        }
        if (env.containsKey("QUARKUS_HTTP_PORT")) {
            env.put("QUARKUS_HTTP_PORT", Integer.toString(LocalCluster.freePort()));
        }
        env.replaceAll((k, v) -> rewrite(v, mounts, terminationLog));
        if (env.containsKey("UNLEARNING_PVC_ROOT")) {
            env.put("UNLEARNING_PVC_ROOT", Files.createDirectories(claims()).toString());
        }
        env.put("DJL_CACHE_DIR", System.getenv().getOrDefault("DJL_CACHE_DIR",
                System.getProperty("user.home") + "/.cache/unlearning-operator/djl"));
        env.put("UNLEARNING_THREADS", Integer.toString(threads(pod)));
        List<String> command = entrypoint(container.getImage(), env);
        List<String> args = new ArrayList<>(container.getArgs());
        for (int i = 0; i < args.size(); i++) {
            args.set(i, rewrite(args.get(i), mounts, terminationLog));
            if ("--port".equals(args.get(i)) && i + 1 < args.size()) {
                port = LocalCluster.freePort();
                args.set(i + 1, Integer.toString(port));
                i++;
            }
        }
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(podDir.resolve("log").toFile());
        pb.environment().putAll(env);
        Process process = pb.start();
        updateStatus(pod, running(pod, false));
        return new Running(process, port);
    }

    /**
     * A class-data archive of the worker jar (HotSpot's AppCDS), made once per runner by one run of
     * {@code engine-info}: every pod JVM then maps the classes a worker loads instead of loading them again, a
     * fifth less CPU per pod start (2.9 s of user time to 2.3, measured on this project's 2-core machines), and
     * end-to-end tests start a hundred pods. Only a speed-up: a pod runs the same without it.
     */
    private static List<String> classDataArchive(Path jar, Path root) {
        try {
            Path archive = Files.createDirectories(root).resolve("worker-classes.jsa");
            ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:ArchiveClassesAtExit=" + archive, "-Dai.djl.offline=true", "-jar", jar.toString(), "engine-info")
                    .redirectErrorStream(true).redirectOutput(root.resolve("worker-classes.log").toFile());
            pb.environment().put("DJL_CACHE_DIR", System.getenv().getOrDefault("DJL_CACHE_DIR",
                    System.getProperty("user.home") + "/.cache/unlearning-operator/djl"));
            Process dump = pb.start();
            if (dump.waitFor(2, TimeUnit.MINUTES) && dump.exitValue() == 0 && Files.isReadable(archive)) {
                return List.of("-XX:SharedArchiveFile=" + archive);
            }
            dump.destroyForcibly();
        } catch (IOException e) {
            // Pods start without the archive.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return List.of();
    }

    private List<String> entrypoint(String image, Map<String, String> env) throws IOException {
        for (var e : entrypoints.entrySet()) {
            if (image.startsWith(e.getKey())) {
                return new ArrayList<>(e.getValue());
            }
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=" + env.get("UNLEARNING_THREADS"), "-Xmx1g"));
        command.addAll(classData);
        if (!env.containsKey("QUARKUS_HTTP_PORT")) {
            command.add("-Dquarkus.http.port=" + LocalCluster.freePort());
        }
        command.addAll(List.of("-jar", jar.toString()));
        return command;
    }

    private void follow(Pod pod, Running r) {
        try {
            if (r.port() != null) {
                awaitReady(r);
                if (r.process().isAlive()) {
                    updateStatus(pod, running(pod, true));
                }
            }
            int exit = r.process().waitFor();
            Path log = root.resolve("pods").resolve(pod.getMetadata().getName()).resolve("termination-log");
            String message = Files.exists(log) ? Files.readString(log) : tail(pod);
            updateStatus(pod, terminated(pod, exit, message));
        } catch (Exception e) {
            // The pod may be gone already; nothing to report then.
        }
    }

    private void awaitReady(Running r) throws InterruptedException {
        URI ready = URI.create("http://127.0.0.1:" + r.port() + "/v2/health/ready");
        for (int i = 0; i < 600 && r.process().isAlive(); i++) {
            try {
                if (http.send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
    }

    private String tail(Pod pod) throws IOException {
        List<String> lines = Files.readAllLines(root.resolve("pods").resolve(pod.getMetadata().getName()).resolve("log"));
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    }

    private Path materialize(Volume volume, Path podDir) throws IOException {
        if (volume.getPersistentVolumeClaim() != null) {
            return Files.createDirectories(claims().resolve(volume.getPersistentVolumeClaim().getClaimName()));
        }
        Path dir = Files.createDirectories(podDir.resolve("volumes").resolve(volume.getName()));
        if (volume.getConfigMap() != null) {
            var cm = client.configMaps().inNamespace(namespace).withName(volume.getConfigMap().getName()).get();
            if (cm != null && cm.getData() != null) {
                for (var e : cm.getData().entrySet()) {
                    Files.writeString(dir.resolve(e.getKey()), e.getValue());
                }
            }
        } else if (volume.getSecret() != null) {
            var secret = client.secrets().inNamespace(namespace).withName(volume.getSecret().getSecretName()).get();
            if (secret != null && secret.getData() != null) {
                for (var e : secret.getData().entrySet()) {
                    Files.writeString(dir.resolve(e.getKey()), decode(e.getValue()));
                }
            }
        }
        return dir;
    }

    /**
     * The threads a local process gets, as a kubelet on this machine would share its cores: the container's CPU
     * limit (rounded up), but no more than a fair share among the pods its Job runs at once, so that four
     * training pods on two cores get one thread each while a lone finalize pod gets two. Pods no Job owns
     * (serving) get one, and so does a pod whose Job cannot be read.
     */
    private int threads(Pod pod) {
        String job = pod.getMetadata().getLabels() == null ? null : pod.getMetadata().getLabels().get("job-name");
        Job owner;
        try {
            owner = job == null ? null : client.batch().v1().jobs().inNamespace(namespace).withName(job).get();
        } catch (KubernetesClientException e) {
            // The API server is away (a fault test restarts it): one thread, and the pod still starts.
            return 1;
        }
        if (owner == null) {
            return 1;
        }
        int parallel = owner.getSpec().getParallelism() == null ? 1 : Math.max(1, owner.getSpec().getParallelism());
        int share = Math.max(1, Runtime.getRuntime().availableProcessors() / parallel);
        var limits = pod.getSpec().getContainers().get(0).getResources() == null ? null
                : pod.getSpec().getContainers().get(0).getResources().getLimits();
        Quantity cpu = limits == null ? null : limits.get("cpu");
        int limit = cpu == null ? share : (int) Math.ceil(cpu.getNumericalAmount().doubleValue());
        return Math.max(1, Math.min(limit, share));
    }

    private java.util.Optional<String> secretValue(io.fabric8.kubernetes.api.model.SecretKeySelector ref) {
        var secret = client.secrets().inNamespace(namespace).withName(ref.getName()).get();
        String encoded = secret == null || secret.getData() == null ? null : secret.getData().get(ref.getKey());
        if (encoded == null && !Boolean.TRUE.equals(ref.getOptional())) {
            throw new IllegalStateException("Secret " + ref.getName() + " has no key " + ref.getKey());
        }
        return java.util.Optional.ofNullable(encoded).map(PodRunner::decode);
    }

    private String value(EnvVar var, Pod pod) {
        if (var.getValueFrom() == null) {
            return var.getValue() == null ? "" : var.getValue();
        }
        var ref = var.getValueFrom().getFieldRef();
        if (ref != null) {
            String path = ref.getFieldPath();
            if (path.startsWith("metadata.annotations['")) {
                String key = path.substring("metadata.annotations['".length(), path.length() - 2);
                return pod.getMetadata().getAnnotations().getOrDefault(key, "");
            }
            if (path.startsWith("metadata.labels['")) {
                String key = path.substring("metadata.labels['".length(), path.length() - 2);
                return pod.getMetadata().getLabels().getOrDefault(key, "");
            }
            if ("metadata.namespace".equals(path)) {
                return namespace;
            }
            if ("metadata.name".equals(path)) {
                return pod.getMetadata().getName();
            }
        }
        if (var.getValueFrom().getResourceFieldRef() != null) {
            return Integer.toString(threads(pod));
        }
        throw new IllegalArgumentException("the pod runner cannot resolve env " + var.getName());
    }

    private static String rewrite(String value, Map<String, Path> mounts, Path terminationLog) {
        if (value == null) {
            return null;
        }
        if (value.equals("/dev/termination-log")) {
            return terminationLog.toString();
        }
        for (var e : mounts.entrySet()) {
            if (value.equals(e.getKey()) || value.startsWith(e.getKey() + "/")) {
                return e.getValue() + value.substring(e.getKey().length());
            }
        }
        return value;
    }

    private static String decode(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }

    private PodStatus running(Pod pod, boolean ready) {
        String now = now();
        return new PodStatusBuilder().withPhase("Running").withPodIP("127.0.0.1").withHostIP("127.0.0.1")
                .withStartTime(now)
                .withConditions(condition("PodScheduled", true, now), condition("Initialized", true, now),
                        condition("ContainersReady", ready, now), condition("Ready", ready, now))
                .withContainerStatuses(new ContainerStatusBuilder().withName(pod.getSpec().getContainers().get(0).getName())
                        .withImage(pod.getSpec().getContainers().get(0).getImage()).withImageID("local").withReady(ready)
                        .withStarted(true).withRestartCount(0).withNewState().withNewRunning().withStartedAt(now)
                        .endRunning().endState().build())
                .build();
    }

    private PodStatus terminated(Pod pod, int exit, String message) {
        String now = now();
        return new PodStatusBuilder().withPhase(exit == 0 ? "Succeeded" : "Failed").withPodIP("127.0.0.1")
                .withHostIP("127.0.0.1").withStartTime(now)
                .withConditions(condition("PodScheduled", true, now), condition("Initialized", true, now),
                        condition("ContainersReady", false, now), condition("Ready", false, now))
                .withContainerStatuses(new ContainerStatusBuilder().withName(pod.getSpec().getContainers().get(0).getName())
                        .withImage(pod.getSpec().getContainers().get(0).getImage()).withImageID("local").withReady(false)
                        .withStarted(false).withRestartCount(0).withNewState().withNewTerminated().withExitCode(exit)
                        .withReason(exit == 0 ? "Completed" : "Error")
                        .withMessage(message.length() > 4096 ? message.substring(0, 4096) : message)
                        .withStartedAt(now).withFinishedAt(now).endTerminated().endState().build())
                .build();
    }

    private static PodCondition condition(String type, boolean status, String now) {
        return new PodConditionBuilder().withType(type).withStatus(status ? "True" : "False").withLastTransitionTime(now).build();
    }

    /** Reports a pod's status, retrying like a kubelet until it lands (the API server may be restarting). */
    private void updateStatus(Pod pod, PodStatus status) {
        for (int attempt = 0; attempt < 120; attempt++) {
            try {
                Pod current = client.pods().inNamespace(namespace).withName(pod.getMetadata().getName()).get();
                if (current == null) {
                    return;
                }
                current.setStatus(status);
                client.resource(current).updateStatus();
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    try {
                        Thread.sleep(500);
                    } catch (InterruptedException interrupted) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }
    }

    private static String now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    }

    @Override
    public void close() {
        informer.close();
        running.values().forEach(r -> {
            if (r.process() != null) {
                r.process().destroyForcibly();
            }
        });
        executor.shutdownNow();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
