package dev.unlearning.operator.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.unlearning.api.ShardedModel;
import dev.unlearning.api.ShardedModelSpec;
import dev.unlearning.operator.config.OperatorSettings;
import dev.unlearning.testcluster.ProjectPaths;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The serving pod template without an API server: default resources, and the image's JVM options kept. */
class ServingPodsTest {

    final ServingPods pods = new ServingPods(OperatorSettings.defaults());

    @Test
    void aModelWithoutServingResourcesGetsTheDefaults() {
        ShardedModel unset = model();
        ShardedModel empty = model();
        empty.getSpec().getServing().setResources(new ResourceRequirements());

        for (ShardedModel model : List.of(unset, empty)) {
            ResourceRequirements resources = server(model).getResources();
            assertThat(resources.getRequests()).containsExactlyInAnyOrderEntriesOf(
                    Map.of("cpu", new Quantity("1"), "memory", new Quantity("1Gi")));
            assertThat(resources.getLimits()).containsExactlyInAnyOrderEntriesOf(
                    Map.of("cpu", new Quantity("2"), "memory", new Quantity("2Gi")));
        }
    }

    @Test
    void aModelsOwnServingResourcesAreKeptAsTheyAre() {
        ShardedModel model = model();
        ResourceRequirements own = new ResourceRequirementsBuilder().addToLimits("memory", new Quantity("512Mi")).build();
        model.getSpec().getServing().setResources(own);

        ResourceRequirements resources = server(model).getResources();
        assertThat(resources.getLimits()).containsExactlyEntriesOf(Map.of("memory", new Quantity("512Mi")));
        assertThat(resources.getRequests()).as("no default mixed in").isNullOrEmpty();
    }

    @Test
    void podsKeepTheImagesJvmOptions() throws Exception {
        Container server = server(model());
        Container worker = new WorkerPods(OperatorSettings.defaults()).forRole(model(), Map.of(), List.of("train"))
                .build().getSpec().getContainers().get(0);
        for (Container container : List.of(server, worker)) {
            assertThat(container.getEnv()).extracting(EnvVar::getName).as("would replace the image's")
                    .doesNotContain("JAVA_TOOL_OPTIONS");
        }
        String podOptions = env(server, "JDK_JAVA_OPTIONS").orElseThrow();
        assertThat(podOptions).contains("-Dai.djl.offline=true");

        for (String dockerfile : List.of("images/Containerfile", "images/Containerfile.cuda")) {
            String imageOptions = imageJavaToolOptions(ProjectPaths.root().resolve(dockerfile));
            assertThat(imageOptions).as(dockerfile).contains("-XX:MaxRAMPercentage=75");

            // A JVM started as the image's entrypoint is, with the image's variable and the pod's.
            ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:+PrintFlagsFinal", "-XshowSettings:properties", "-version").redirectErrorStream(true);
            pb.environment().put("JAVA_TOOL_OPTIONS", imageOptions);
            pb.environment().put("JDK_JAVA_OPTIONS", podOptions);
            Process jvm = pb.start();
            String out = new String(jvm.getInputStream().readAllBytes());
            assertThat(jvm.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(out).as(dockerfile).containsPattern("MaxRAMPercentage\\s+= 75\\.0")
                    .containsPattern("ai\\.djl\\.offline = true");
        }
    }

    private static String imageJavaToolOptions(Path dockerfile) throws Exception {
        Matcher m = Pattern.compile("JAVA_TOOL_OPTIONS=\"([^\"]*)\"").matcher(Files.readString(dockerfile));
        assertThat(m.find()).as(dockerfile + " sets JAVA_TOOL_OPTIONS").isTrue();
        return m.group(1);
    }

    private static Optional<String> env(Container container, String name) {
        return container.getEnv().stream().filter(e -> name.equals(e.getName())).map(EnvVar::getValue).findFirst();
    }

    @Test
    void servingReadsTheStoreReadOnlyWithItsOwnCredentialsAndCarriesTheToken() {
        ShardedModel model = model();
        model.getSpec().setStorage(new dev.unlearning.api.StorageSpec());
        model.getSpec().setDataset(new dev.unlearning.api.DatasetSpec());
        model.getSpec().getStorage().setUri("pvc://models/fm");
        model.getSpec().getStorage().setSecretRef(secret("writer-keys"));
        model.getSpec().getDataset().setUri("pvc://datasets/fashion");
        model.getSpec().getDataset().setSecretRef(secret("data-keys"));
        var pod = pods.template(model, 3).getSpec();
        assertThat(pod.getVolumes()).filteredOn(v -> v.getPersistentVolumeClaim() != null)
                .as("only the store's claim, read-only").singleElement()
                .satisfies(v -> assertThat(v.getPersistentVolumeClaim().getReadOnly()).isTrue());
        assertThat(server(model).getVolumeMounts()).filteredOn(m -> m.getMountPath().startsWith("/data/"))
                .singleElement().satisfies(m -> assertThat(m.getReadOnly()).isTrue());
        assertThat(secretsOf(server(model))).as("never the dataset's keys").containsOnly("writer-keys");

        model.getSpec().getServing().setStorageSecretRef(secret("reader-keys"));
        model.getSpec().getServing().setBearerTokenSecretRef(secret("serving-token"));
        assertThat(secretsOf(server(model))).containsOnly("reader-keys", "serving-token");
        assertThat(server(model).getEnv()).filteredOn(e -> e.getName().equals("UNLEARNING_SERVING_TOKEN")).singleElement()
                .satisfies(e -> {
                    assertThat(e.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("token");
                    assertThat(e.getValueFrom().getSecretKeyRef().getOptional()).as("no token, no start").isNotEqualTo(true);
                });
    }

    private static java.util.Set<String> secretsOf(Container container) {
        return container.getEnv().stream().filter(e -> e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null)
                .map(e -> e.getValueFrom().getSecretKeyRef().getName()).collect(java.util.stream.Collectors.toSet());
    }

    private static dev.unlearning.api.SecretReference secret(String name) {
        dev.unlearning.api.SecretReference ref = new dev.unlearning.api.SecretReference();
        ref.setName(name);
        return ref;
    }

    private Container server(ShardedModel model) {
        return pods.template(model, 3).getSpec().getContainers().get(0);
    }

    private static ShardedModel model() {
        ShardedModel model = new ShardedModel();
        model.setMetadata(new ObjectMetaBuilder().withName("fm").withNamespace("ns").build());
        model.setSpec(new ShardedModelSpec());
        return model;
    }
}
