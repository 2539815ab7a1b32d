package dev.unlearning.cli;

import dev.unlearning.api.ShardedModel;
import dev.unlearning.api.UnlearningRequest;
import dev.unlearning.engine.data.DataException;
import dev.unlearning.engine.data.DatasetLoader;
import dev.unlearning.engine.data.Splits;
import dev.unlearning.engine.data.UriResolver;
import dev.unlearning.engine.model.ModelState;
import dev.unlearning.store.BlobStores;
import dev.unlearning.store.CorruptArtifactException;
import dev.unlearning.store.ModelRepository;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * What every engine role shares: reading the CRs it was given (the same types the CRDs come from), opening
 * the store and data, writing the JSON result, and turning failures into documented exit codes with one
 * clear line on stderr.
 */
final class RoleIo {

    static final KubernetesSerialization YAML = new KubernetesSerialization();
    static final Path PVC_ROOT = Path.of(System.getenv().getOrDefault("UNLEARNING_PVC_ROOT", "/data"));

    private RoleIo() {
    }

    static ShardedModel readModel(Path file) throws IOException {
        ShardedModel model = read(file, ShardedModel.class);
        if (model.getSpec() == null || model.getSpec().getDataset() == null) {
            throw new InvalidInputException(file + ": a ShardedModel needs spec.dataset");
        }
        if (model.getMetadata() == null || model.getMetadata().getName() == null) {
            throw new InvalidInputException(file + ": a ShardedModel needs metadata.name");
        }
        return model;
    }

    static UnlearningRequest readRequest(Path file) throws IOException {
        UnlearningRequest request = read(file, UnlearningRequest.class);
        if (request.getSpec() == null || request.getSpec().getForget() == null) {
            throw new InvalidInputException(file + ": an UnlearningRequest needs spec.forget");
        }
        return request;
    }

    private static <T> T read(Path file, Class<T> type) throws IOException {
        if (!Files.isReadable(file)) {
            throw new InvalidInputException(file + " not found");
        }
        try (InputStream in = Files.newInputStream(file)) {
            return YAML.unmarshal(in, type);
        } catch (RuntimeException e) {
            throw new InvalidInputException(file + ": not a valid " + type.getSimpleName() + ": " + e.getMessage());
        }
    }

    static ModelRepository repository(ShardedModel model, String storeOverride) throws InvalidInputException {
        String uri = storeOverride != null ? storeOverride
                : model.getSpec().getStorage() != null ? model.getSpec().getStorage().getUri() : null;
        if (uri == null) {
            throw new InvalidInputException("no store: set spec.storage.uri or pass --store");
        }
        return new ModelRepository(BlobStores.open(uri, PVC_ROOT), model.getMetadata().getName());
    }

    static Splits data(ShardedModel model) throws IOException {
        return new DatasetLoader(UriResolver.local(PVC_ROOT)).load(model.getSpec().getDataset());
    }

    /**
     * Writes the result to --output (or stdout) and, in a pod, a compact copy to the termination-message file
     * ({@code UNLEARNING_TERMINATION_LOG}, which the operator sets to /dev/termination-log): that is how a result
     * travels back to the operator without it mounting any volume. Kubernetes keeps at most 4096 bytes.
     */
    static void writeResult(Path output, Object result) throws IOException {
        String terminationLog = System.getenv("UNLEARNING_TERMINATION_LOG");
        if (terminationLog != null && !terminationLog.isBlank()) {
            var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
            byte[] compact = mapper.writeValueAsBytes(result);
            if (compact.length > 4096) {
                // Keep the scalar fields (version, digests, counts); drop the lists and maps that overflowed.
                var node = (com.fasterxml.jackson.databind.node.ObjectNode) mapper.valueToTree(result);
                node.retain(java.util.stream.StreamSupport.stream(
                        java.util.Spliterators.spliteratorUnknownSize(node.fieldNames(), 0), false)
                        .filter(f -> node.get(f).isValueNode()).toList());
                node.put("truncated", true);
                compact = mapper.writeValueAsBytes(node);
            }
            Files.write(Path.of(terminationLog), compact);
        }
        byte[] json = ModelRepository.JSON.writeValueAsBytes(result);
        if (output != null) {
            if (output.getParent() != null) {
                Files.createDirectories(output.getParent());
            }
            Files.write(output, json);
        } else {
            System.out.write(json);
            System.out.println();
        }
    }

    /** Runs a role body and maps its failure to an exit code. */
    static int run(String role, Callable<Integer> body) {
        PrintStream err = System.err;
        try {
            return body.call();
        } catch (InvalidInputException | IllegalArgumentException e) {
            err.println(role + ": invalid input: " + e.getMessage());
            return ExitCodes.INVALID_INPUT;
        } catch (DataException e) {
            err.println(role + ": data error: " + e.getMessage());
            return ExitCodes.DATA_ERROR;
        } catch (CorruptArtifactException | ModelRepository.VersionConflictException e) {
            err.println(role + ": store error: " + e.getMessage());
            return ExitCodes.STORE_ERROR;
        } catch (ModelState.CorruptModelException e) {
            err.println(role + ": store error: corrupt checkpoint: " + e.getMessage());
            return ExitCodes.STORE_ERROR;
        } catch (IOException e) {
            err.println(role + ": store or I/O error: " + e.getMessage());
            return ExitCodes.STORE_ERROR;
        } catch (Exception e) {
            err.println(role + ": failed: " + e);
            e.printStackTrace(err);
            return ExitCodes.UNEXPECTED;
        }
    }

    /** Input that can never succeed as given. */
    static final class InvalidInputException extends IOException {
        InvalidInputException(String message) {
            super(message);
        }
    }
}
