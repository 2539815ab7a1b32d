package dev.unlearning.cli;

import dev.unlearning.api.worker.WorkerInvocation;
import dev.unlearning.api.ForgetLedger;
import dev.unlearning.api.ShardedModel;
import dev.unlearning.api.UnlearningRequest;
import dev.unlearning.api.worker.ExitCode;
import dev.unlearning.api.worker.InputPins;
import dev.unlearning.api.worker.TerminationMessage;
import dev.unlearning.api.worker.WorkerResult;
import dev.unlearning.engine.data.DataException;
import dev.unlearning.engine.data.DatasetLoader;
import dev.unlearning.engine.data.Splits;
import dev.unlearning.engine.data.S3DataFiles;
import dev.unlearning.engine.data.UriResolver;
import dev.unlearning.engine.model.ModelState;
import dev.unlearning.engine.unlearning.ForgetRequests;
import dev.unlearning.engine.unlearning.ForgetSet;
import dev.unlearning.engine.unlearning.LedgerForgets;
import dev.unlearning.store.BlobStores;
import dev.unlearning.store.CorruptArtifactException;
import dev.unlearning.store.IdDigestKey;
import dev.unlearning.store.ModelRepository;
import dev.unlearning.store.S3BlobStore;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;

/**
 * What every engine role shares: reading the CRs it was given (the same types the CRDs come from), opening
 * the store and data, writing the JSON result, and turning failures into documented exit codes with one
 * clear line on stderr.
 */
final class RoleIo {

    static final KubernetesSerialization YAML = new KubernetesSerialization();
    static final Path PVC_ROOT = Path.of(System.getenv().getOrDefault(WorkerInvocation.ENV_PVC_ROOT, "/data"));

    /** How the roles read their environment; a test may point it at a map to act as a pod. */
    static volatile UnaryOperator<String> environment = System::getenv;

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

    static ModelRepository repository(ShardedModel model, String storeOverride) throws IOException {
        String uri = storeOverride != null ? storeOverride
                : model.getSpec().getStorage() != null ? model.getSpec().getStorage().getUri() : null;
        if (uri == null) {
            throw new InvalidInputException("no store: set spec.storage.uri or pass --store");
        }
        String namespace = model.getMetadata().getNamespace();
        String name = model.getMetadata().getName();
        ModelRepository repo = new ModelRepository(BlobStores.open(uri, PVC_ROOT), namespace, name);
        IdDigestKey key = idKey();
        if (key != null) {
            repo = repo.withIdKey(key);
        }
        if (namespace != null && repo.versions().isEmpty() && repo.hasUnnamespacedVersions(name)) {
            throw new InvalidInputException(uri + " holds versions of " + name + " under models/" + name + "/, the "
                    + "key layout before namespaces were part of it; move them to models/" + namespace + "/" + name
                    + "/ (the tombstones must come along), then retry");
        }
        return repo;
    }

    static Splits data(ShardedModel model) throws IOException {
        return new DatasetLoader(dataResolver()).load(model.getSpec().getDataset(), model.getSpec().getArchitecture());
    }

    /**
     * Writes the result to --output (or stdout) and, in a pod, its {@link TerminationMessage} to the
     * termination-message file ({@code UNLEARNING_TERMINATION_LOG}, which the operator sets to
     * /dev/termination-log): that is how a result travels back to the operator without it mounting any volume.
     */
    static void writeResult(Path output, WorkerResult result) throws IOException {
        // And again before anything is reported: an edit while the role ran is not reported as its result either.
        InputPins.verify(environment);
        String terminationLog = environment.apply(WorkerInvocation.ENV_TERMINATION_LOG);
        if (terminationLog != null && !terminationLog.isBlank()) {
            Files.write(Path.of(terminationLog), TerminationMessage.encode(result));
        }
        writeJson(output, result);
    }

    /** Writes a report that is not a worker result (nothing reads it from a termination message). */
    static void writeJson(Path output, Object report) throws IOException {
        byte[] json = ModelRepository.JSON.writeValueAsBytes(report);
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

    static final String DATA_CACHE_ENV = WorkerInvocation.ENV_DATA_CACHE;

    /**
     * Where data URIs resolve: file:// and pvc:// in place, s3:// downloaded into the pod's scratch volume
     * ($UNLEARNING_DATA_CACHE, which the operator points at /var/cache/unlearning/data) with the same credentials
     * rules as the store. A file already downloaded with the same ETag is not downloaded again.
     */
    static UriResolver dataResolver() {
        UnaryOperator<String> env = environment;
        String cache = env.apply(DATA_CACHE_ENV);
        Path dir = cache != null && !cache.isBlank() ? Path.of(cache)
                : Path.of(System.getProperty("java.io.tmpdir"), "unlearning-data");
        return UriResolver.withS3(PVC_ROOT, new S3DataFiles(() -> S3BlobStore.clientFromEnvironment(env), dir));
    }

    static final String ID_KEY_ENV = "UNLEARNING_ID_KEY";

    /** Where worker pods mount their namespace's id-digest key (Secret unlearning-id-key), unless told otherwise. */
    static final Path ID_KEY_FILE = Path.of("/etc/unlearning/id-key/key");

    /**
     * The namespace's id-digest key if this process has one (the file $UNLEARNING_ID_KEY_FILE names, which the
     * operator sets where it mounts the Secret; or the key itself in $UNLEARNING_ID_KEY), else null: roles that
     * make or match tombstones then fail closed where they need it.
     */
    static IdDigestKey idKey() throws IOException {
        String named = environment.apply(WorkerInvocation.ENV_ID_KEY_FILE);
        Path file = named == null || named.isBlank() ? ID_KEY_FILE : Path.of(named);
        String key = Files.isReadable(file) ? Files.readString(file) : environment.apply(ID_KEY_ENV);
        if (key == null || key.isBlank()) {
            return null;
        }
        if (key.strip().length() < 16) {
            throw new InvalidInputException("the id-digest key (" + ID_KEY_FILE + " or $" + ID_KEY_ENV
                    + ") must have 16 or more characters");
        }
        return new IdDigestKey(key.strip().getBytes(StandardCharsets.UTF_8));
    }

    /** Runs a role body and maps its failure to an exit code. */
    static int run(String role, Callable<ExitCode> body) {
        PrintStream err = System.err;
        try {
            // Before anything is read: input changed since the operator wrote it runs nothing.
            InputPins.verify(environment);
            return body.call().code();
        } catch (InvalidInputException | IllegalArgumentException e) {
            err.println(role + ": invalid input: " + e.getMessage());
            return ExitCode.INVALID_INPUT.code();
        } catch (DataException e) {
            err.println(role + ": data error: " + e.getMessage());
            return ExitCode.DATA_ERROR.code();
        } catch (CorruptArtifactException | ModelRepository.VersionConflictException e) {
            err.println(role + ": store error: " + e.getMessage());
            return ExitCode.STORE_ERROR.code();
        } catch (ModelState.CorruptModelException e) {
            err.println(role + ": store error: corrupt checkpoint: " + e.getMessage());
            return ExitCode.STORE_ERROR.code();
        } catch (IOException e) {
            err.println(role + ": store or I/O error: " + e.getMessage());
            return ExitCode.STORE_ERROR.code();
        } catch (Exception e) {
            err.println(role + ": failed: " + e);
            e.printStackTrace(err);
            return ExitCode.UNEXPECTED.code();
        }
    }

    /** The forget set of a run's requests; fromUri lists are read where the Job mounts them. */
    static ForgetSet forgetSet(List<UnlearningRequest> requests, Splits splits) throws IOException {
        return new ForgetRequests(dataResolver(), idKey()).union(requests, splits.train());
    }

    /** What a dataset's ledger says is forgotten from the training data; nothing without a ledger file. */
    static Set<String> ledgerForgets(Path file, Splits splits, String dataDigest) throws IOException {
        if (file == null) {
            return Set.of();
        }
        ForgetLedger ledger = read(file, ForgetLedger.class);
        return new LedgerForgets(new ForgetRequests(dataResolver(), idKey())).forgotten(ledger,
                splits.train(), dataDigest);
    }

    static List<UnlearningRequest> readRequests(List<Path> files) throws IOException {
        List<UnlearningRequest> requests = new ArrayList<>();
        for (Path file : files) {
            requests.add(readRequest(file));
        }
        return requests;
    }

    /** Input that can never succeed as given. */
    static final class InvalidInputException extends IOException {
        InvalidInputException(String message) {
            super(message);
        }
    }
}
