package dev.unlearning.testcluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The GPU example at a size a 2-core CI machine trains in minutes rather than a quarter of an hour: fewer shards
 * and epochs, and a short batching window, since requests there arrive one at a time. Everything else (the
 * architecture, Kueue, S3, the GPU request, the verification gate) is the manifest as users apply it; the README
 * names these differences.
 */
public final class CiSizedExample {

    /** The spec fields that differ, by JSON pointer, with the value the CI variant uses. */
    public static final Map<String, Integer> OVERRIDES = overrides();

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private CiSizedExample() {
    }

    private static Map<String, Integer> overrides() {
        Map<String, Integer> overrides = new LinkedHashMap<>();
        overrides.put("/spec/sharding/shards", 8);
        overrides.put("/spec/training/epochs", 2);
        overrides.put("/spec/unlearning/batchingWindowSeconds", 5);
        return Map.copyOf(overrides);
    }

    /** Writes the variant of {@code example} into {@code directory}; the original must set every overridden field. */
    public static Path write(Path example, Path directory) {
        try {
            ObjectNode manifest = (ObjectNode) YAML.readTree(example.toFile());
            OVERRIDES.forEach((pointer, value) -> {
                int slash = pointer.lastIndexOf('/');
                JsonNode parent = manifest.at(pointer.substring(0, slash));
                String field = pointer.substring(slash + 1);
                if (!(parent instanceof ObjectNode object) || !object.has(field)) {
                    throw new IllegalStateException(example + " no longer sets " + pointer + "; update " + CiSizedExample.class.getSimpleName());
                }
                object.put(field, value);
            });
            Path variant = Files.createDirectories(directory).resolve(example.getFileName());
            YAML.writeValue(variant.toFile(), manifest);
            return variant;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
