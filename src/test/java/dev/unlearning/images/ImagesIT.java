package dev.unlearning.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.unlearning.cli.EngineInfoCommand.EngineInfo;
import dev.unlearning.images.ProjectImage.Result;
import dev.unlearning.serving.InferenceServer;
import dev.unlearning.testcluster.InferenceProbe;
import dev.unlearning.testcluster.LocalCluster;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image as a pod runs it, in a real container (podman with runc): built by images/build.sh from pinned
 * Debian packages, run as UID 1000 with a read-only root file system, no capabilities, and only the volumes the
 * operator's pods mount (model file, claim, cache, tmp, id key). It trains a tiny model, publishes it and
 * serves it over the Open Inference Protocol; the JVM sizes its heap from the container's memory limit.
 */
class ImagesIT {

    static final Path FASHION_MNIST = Path.of("/usr/share/datasets/fashion-mnist");
    static final HttpClient HTTP = HttpClient.newHttpClient();

    static String image;
    static final List<String> started = new ArrayList<>();

    @TempDir
    static Path work;

    @BeforeAll
    static void build() throws Exception {
        image = ProjectImage.build();
        assertThat(image).isEqualTo(ProjectImage.LOCAL);
    }

    @AfterAll
    static void removeContainers() throws Exception {
        for (String name : started) {
            run(Duration.ofMinutes(1), "podman", "--runtime", "/usr/sbin/runc", "rm", "-f", name);
        }
    }

    @Test
    void theImageStaysSmallAndSaysWhatIsInIt() throws Exception {
        Result size = podman(Duration.ofMinutes(1), "image", "inspect", "--format", "{{.Size}}", image);
        long bytes = Long.parseLong(size.output().strip());
        // Measured: about 520 MB, of which the JRE and Debian minbase are 350 MB and the jar's libraries 160 MB
        // (libtorch's CPU build alone about 110 MB compressed).
        assertThat(bytes).as("image size").isBetween(100L << 20, 700L << 20);
        Result user = podman(Duration.ofMinutes(1), "image", "inspect", "--format", "{{.Config.User}}", image);
        assertThat(user.output().strip()).isEqualTo("1000:1000");
    }

    @Test
    void theHeapFollowsTheContainersMemoryLimit() throws Exception {
        long limited = maxHeap("--memory", "512m");
        assertThat(limited).as("75%% of 512 MiB").isEqualTo(384L << 20);
        assertThat(maxHeap()).as("without a limit the JVM sizes from the machine").isGreaterThan(limited);
    }

    @Test
    void trainsPublishesAndServesAsUid1000OnAReadOnlyRootFileSystem() throws Exception {
        Volumes volumes = tinyModel("tiny", 2);
        Path model = volumes.model();
        Path idKey = volumes.idKey();
        Path claim = volumes.claim();
        Path cache = volumes.cache();

        for (int shard = 0; shard < 2; shard++) {
            Result trained = worker(model, idKey, claim, cache, List.of("-e", "JOB_COMPLETION_INDEX=" + shard),
                    "train", "--model", "/etc/unlearning/model/model.yaml", "--run", "img-1");
            assertThat(trained.code()).as("train shard %d:%n%s", shard, trained.output()).isZero();
        }
        Result published = worker(model, idKey, claim, cache, List.of(),
                "publish", "--model", "/etc/unlearning/model/model.yaml", "--run", "img-1");
        assertThat(published.code()).as("publish:%n%s", published.output()).isZero();
        assertThat(claim.resolve("models/tiny")).isDirectory();
        try (var files = Files.walk(claim)) {
            assertThat(files.filter(Files::isRegularFile).map(Path::toString)).anyMatch(f -> f.endsWith("versions/1.json"));
        }

        int port = LocalCluster.freePort();
        int management = LocalCluster.freePort();
        String name = "unlearning-serve-" + port;
        started.add(name);
        Result serving = worker(model, idKey, claim, cache, List.of("-d", "--name", name, "--network", "host",
                "-e", "QUARKUS_HTTP_PORT=" + management),
                "serve", "--model", "/etc/unlearning/model/model.yaml", "--version", "1", "--port", Integer.toString(port));
        assertThat(serving.code()).as("serve:%n%s", serving.output()).isZero();
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                .until(() -> HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v2/health/ready"))
                        .build(), HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
        HttpResponse<String> answer = InferenceProbe.infer("127.0.0.1:" + port, "tiny");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(answer.headers().firstValue(InferenceServer.VERSION_HEADER)).hasValue("1");
        assertThat(answer.body()).contains("\"outputs\"");
        Result whoami = podman(Duration.ofMinutes(1), "exec", name, "sh", "-c", "id -u; touch /app/x 2>&1 || true");
        assertThat(whoami.output()).startsWith("1000").contains("Read-only file system");
    }

    @Test
    void theImageLoadsDjlsCpuLibtorchFromItsCache() throws Exception {
        EngineInfo info = engineInfo(image, "cpu-info");
        assertThat(info.version()).isEqualTo("2.7.1");
        assertThat(info.libraries()).isNotEmpty()
                .allSatisfy(l -> assertThat(l).startsWith("/var/cache/unlearning/djl/").doesNotContain("cuda"));
        assertThat(info.defaultDevice()).isEqualTo("cpu()");
    }

    /**
     * The CUDA worker image (images/build.sh --cuda): PyTorch's CUDA libtorch from its wheels, which this machine,
     * without a GPU, can load and train on the CPU with. Measured: 5.1 GB, of which libtorch with CUDA and the
     * CUDA libraries 4.3 GB (torch 1.5 GB, cuDNN 0.8 GB, cuBLAS 0.6 GB).
     */
    @Test
    void theCudaImageLoadsPyTorchsCudaLibtorchAndTrainsOnTheCpu() throws Exception {
        String cuda = ProjectImage.buildCuda();
        assertThat(cuda).isEqualTo(ProjectImage.LOCAL + "-cuda");
        long bytes = Long.parseLong(podman(Duration.ofMinutes(1), "image", "inspect", "--format", "{{.Size}}", cuda)
                .output().strip());
        assertThat(bytes).as("image size").isBetween(3L << 30, 6L << 30);

        EngineInfo info = engineInfo(cuda, "cuda-info");
        assertThat(info.version()).isEqualTo("2.7.1");
        assertThat(info.libraries()).contains("/opt/pytorch/torch/lib/libtorch_cuda.so",
                "/opt/pytorch/torch/lib/libc10_cuda.so").noneMatch(l -> l.startsWith("/var/cache/unlearning/djl/"));
        assertThat(info.gpuCount()).as("a container given no GPU").isZero();

        Volumes v = tinyModel("tiny-cuda", 1);
        Result trained = worker(cuda, v.model(), v.idKey(), v.claim(), v.cache(), List.of("-e", "JOB_COMPLETION_INDEX=0"),
                "train", "--model", "/etc/unlearning/model/model.yaml", "--run", "cuda-1");
        assertThat(trained.code()).as("train on the CUDA image:%n%s", trained.output()).isZero();
        Matcher accuracy = Pattern.compile("\"testAccuracy\" : ([0-9.]+)").matcher(trained.output());
        assertThat(accuracy.find()).as(trained.output()).isTrue();
        assertThat(Double.parseDouble(accuracy.group(1))).as("one epoch of a small MLP").isGreaterThan(0.7);
    }

    /** What a worker pod mounts: its model file, the id-digest key, the claim and the cache. */
    record Volumes(Path model, Path idKey, Path claim, Path cache) {
    }

    /** The volumes for a tiny MLP of {@code shards} shards named {@code name}, one epoch on Fashion-MNIST. */
    private static Volumes tinyModel(String name, int shards) throws Exception {
        Path model = dir(name + "-model");
        Files.writeString(model.resolve("model.yaml"), """
                apiVersion: unlearning.dev/v1alpha1
                kind: ShardedModel
                metadata: {name: %s, namespace: images}
                spec:
                  dataset: {uri: "file:///usr/share/datasets/fashion-mnist"}
                  storage: {uri: "pvc://models/%s"}
                  architecture: {type: mlp, hidden: [16]}
                  sharding: {shards: %d, slices: 1}
                  training: {epochs: 1, batchSize: 256, seed: 7}
                """.formatted(name, name, shards));
        Path idKey = dir(name + "-id-key");
        Files.writeString(idKey.resolve("key"), "image-test-id-key-0123456789");
        Path claim = dir(name + "-claim");
        Path cache = dir(name + "-cache");
        chownToWorker(claim, cache);
        return new Volumes(model, idKey, claim, cache);
    }

    private static EngineInfo engineInfo(String image, String name) throws Exception {
        Path cache = dir(name + "-cache");
        Path empty = dir(name + "-empty");
        chownToWorker(cache);
        Result out = worker(image, empty, empty, empty, cache, List.of(), "engine-info");
        assertThat(out.code()).as(out.output()).isZero();
        // stdout's JSON (indented, so it starts with "{" on a line of its own) amid the logs on stderr.
        String json = out.output().substring(out.output().indexOf("{\n"), out.output().lastIndexOf("\n}") + 2);
        return new ObjectMapper().readValue(json, EngineInfo.class);
    }

    /** A worker container as the operator's pods run one: restricted, read-only, the pods' volumes only. */
    private static Result worker(Path model, Path idKey, Path claim, Path cache, List<String> extra, String... args)
            throws Exception {
        return worker(image, model, idKey, claim, cache, extra, args);
    }

    private static Result worker(String image, Path model, Path idKey, Path claim, Path cache, List<String> extra,
            String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("run", "--read-only", "--user", "1000:1000", "--cap-drop", "ALL",
                "--security-opt", "no-new-privileges", "--memory", "1536m",
                "-v", model + ":/etc/unlearning/model:ro", "-v", idKey + ":/etc/unlearning/id-key:ro",
                "-v", claim + ":/data", "-v", cache + ":/var/cache/unlearning",
                "-v", FASHION_MNIST + ":" + FASHION_MNIST + ":ro", "--tmpfs", "/tmp:rw,size=256m,mode=1777",
                "-e", "UNLEARNING_PVC_ROOT=/data", "-e", "DJL_CACHE_DIR=/var/cache/unlearning/djl",
                "-e", "UNLEARNING_DATA_CACHE=/var/cache/unlearning/data", "-e", "UNLEARNING_THREADS=1",
                "-e", "UNLEARNING_ID_KEY_FILE=/etc/unlearning/id-key/key",
                "-e", "UNLEARNING_TERMINATION_LOG=/tmp/termination-log", "-e", "JDK_JAVA_OPTIONS=-Dai.djl.offline=true"));
        if (!extra.contains("-d")) {
            command.add("--rm");
        }
        command.addAll(extra);
        command.add(image);
        command.addAll(List.of(args));
        return podman(Duration.ofMinutes(10), command.toArray(String[]::new));
    }

    private static long maxHeap(String... limits) throws Exception {
        List<String> command = new ArrayList<>(List.of("run", "--rm", "--read-only", "--user", "1000:1000"));
        command.addAll(List.of(limits));
        command.addAll(List.of("--entrypoint", "java", image, "-XX:+PrintFlagsFinal", "-version"));
        Result flags = podman(Duration.ofMinutes(2), command.toArray(String[]::new));
        Matcher m = Pattern.compile("MaxHeapSize\\s+= (\\d+)").matcher(flags.output());
        assertThat(m.find()).as(flags.output()).isTrue();
        return Long.parseLong(m.group(1));
    }

    private static Path dir(String name) throws IOException {
        return Files.createDirectories(work.resolve(name));
    }

    private static void chownToWorker(Path... dirs) throws Exception {
        for (Path dir : dirs) {
            Result chown = run(Duration.ofMinutes(1), "chown", "-R", "1000:1000", dir.toString());
            assertThat(chown.code()).as(chown.output()).isZero();
        }
        // The temporary folder's parents must let UID 1000 reach the mounts.
        Result open = run(Duration.ofMinutes(1), "chmod", "o+x", work.toString(), work.getParent().toString());
        assertThat(open.code()).as(open.output()).isZero();
    }

    private static Result podman(Duration limit, String... args) throws Exception {
        return ProjectImage.podman(limit, args);
    }

    private static Result run(Duration limit, String... command) throws Exception {
        return ProjectImage.run(limit, command);
    }
}
