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

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".yml")).sorted().toList();
        }
    }
}
