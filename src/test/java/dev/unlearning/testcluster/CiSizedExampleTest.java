package dev.unlearning.testcluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CiSizedExampleTest {

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void theCiVariantOfTheGpuExampleDiffersOnlyInTheFieldsTheReadmeNames(@TempDir Path dir) throws Exception {
        Path example = ProjectPaths.root().resolve("manifests/examples/fashion-mnist-gpu.yaml");
        JsonNode original = YAML.readTree(example.toFile());
        JsonNode variant = YAML.readTree(CiSizedExample.write(example, dir).toFile());

        CiSizedExample.OVERRIDES.forEach((pointer, value) -> {
            assertThat(variant.at(pointer).asInt()).as(pointer).isEqualTo(value);
            assertThat(original.at(pointer).asInt()).as("smaller than the example: %s", pointer).isGreaterThan(value);
        });
        ObjectNode withoutOverrides = original.deepCopy();
        ObjectNode variantWithout = variant.deepCopy();
        for (String pointer : CiSizedExample.OVERRIDES.keySet()) {
            int slash = pointer.lastIndexOf('/');
            ((ObjectNode) withoutOverrides.at(pointer.substring(0, slash))).remove(pointer.substring(slash + 1));
            ((ObjectNode) variantWithout.at(pointer.substring(0, slash))).remove(pointer.substring(slash + 1));
        }
        assertThat(variantWithout).isEqualTo(withoutOverrides);

        String readme = Files.readString(ProjectPaths.root().resolve("README.md"));
        assertThat(readme).as("the README says how CI's run of the GPU example differs")
                .contains("8 shards instead of 16, 2 epochs instead of 5 and a 5 s batching window");
    }
}
