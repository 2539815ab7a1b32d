package dev.unlearning.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.unlearning.testcluster.ProjectPaths;
import io.fabric8.crdv2.generator.CRDGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.CustomResource;

/**
 * crds/ is committed so that users, Helm and GitOps repos can apply it without building; this test keeps it
 * equal to what the api types generate. To regenerate after changing a type:
 * {@code ./mvnw test -Dtest=CrdDriftTest -Dcrds.update=true}.
 */
class CrdDriftTest {

    static final List<Class<? extends CustomResource<?, ?>>> KINDS =
            List.of(ShardedModel.class, UnlearningRequest.class, ForgetLedger.class);

    @Test
    void committedCrdsMatchTheApiTypes(@TempDir Path generated) throws IOException {
        new CRDGenerator()
                .inOutputDir(generated.toFile())
                .forCRDVersions("v1")
                .customResourceClasses(KINDS.toArray(Class[]::new))
                .generate();

        List<Path> files = list(generated);
        assertThat(files).hasSize(KINDS.size());
        for (Class<? extends CustomResource<?, ?>> kind : KINDS) {
            Path file = generated.resolve(HasMetadata.getFullResourceName(kind) + "-v1.yml");
            Files.writeString(file, PrinterColumnOrder.apply(Files.readString(file), kind));
        }
        if (Boolean.getBoolean("crds.update")) {
            for (Path file : files) {
                Files.copy(file, ProjectPaths.crds().resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        assertThat(list(ProjectPaths.crds()).stream().map(p -> p.getFileName().toString()))
                .as("CRD files in crds/")
                .containsExactlyInAnyOrderElementsOf(files.stream().map(p -> p.getFileName().toString()).toList());
        for (Path file : files) {
            assertThat(Files.readString(ProjectPaths.crds().resolve(file.getFileName())))
                    .as("crds/%s differs from the api types; regenerate with "
                            + "./mvnw test -Dtest=CrdDriftTest -Dcrds.update=true", file.getFileName())
                    .isEqualTo(Files.readString(file));
        }
    }

    @Test
    void printerColumnsKeepTheDeclaredOrderWithAgeLast() throws IOException {
        for (Class<? extends CustomResource<?, ?>> kind : KINDS) {
            String crd = Files.readString(ProjectPaths.crds().resolve(HasMetadata.getFullResourceName(kind) + "-v1.yml"));
            List<String> columns = java.util.regex.Pattern.compile("\n      name: \"([^\"]*)\"").matcher(crd.substring(0, crd.indexOf("\n    name: \"" + ApiGroup.VERSION + "\"")))
                    .results().map(m -> m.group(1)).toList();
            assertThat(columns).as(kind.getSimpleName()).isNotEmpty().last().isEqualTo("Age");
            assertThat(columns).containsExactlyElementsOf(java.util.Arrays.stream(
                    kind.getAnnotationsByType(io.fabric8.crd.generator.annotation.AdditionalPrinterColumn.class))
                    .map(io.fabric8.crd.generator.annotation.AdditionalPrinterColumn::name).toList());
        }
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".yml")).sorted().toList();
        }
    }
}
