package dev.unlearning.api.worker;

import dev.unlearning.api.UnlearningMethod;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * How the operator invokes a worker, as one description both sides compile against: the role (subcommand) and
 * flags the Job factory writes into a pod's arguments and the cli roles declare (picocli's option names are these
 * constants), where the pod finds its files, and the environment it reads. A renamed flag, path or variable
 * changes here for both, so one side cannot be renamed alone. docs/worker-contract.md describes the same, role by
 * role, for an image of a team's own.
 */
public final class WorkerInvocation {

    // Roles.
    public static final String TRAIN = "train";
    public static final String PUBLISH = "publish";
    public static final String UNLEARN = "unlearn";
    public static final String FINALIZE = "finalize";
    public static final String DETECT = "detect";
    public static final String ERASE = "erase";
    public static final String PURGE = "purge";
    public static final String SERVE = "serve";

    // Flags.
    public static final String MODEL = "--model";
    public static final String RUN = "--run";
    public static final String LEDGER = "--ledger";
    public static final String METHOD = "--method";
    public static final String SHARDS = "--shards";
    public static final String BASE_VERSION = "--base-version";
    public static final String REQUEST = "--request";
    public static final String SERVED_VERSION = "--served-version";
    public static final String RETENTION = "--retention";
    public static final String GATE = "--gate";
    public static final String VERSION = "--version";
    public static final String PORT = "--port";

    // Where the pod finds its files.
    public static final String MODEL_DIR = "/etc/unlearning/model";
    public static final String MODEL_FILE = MODEL_DIR + "/model.yaml";
    public static final String REQUESTS_DIR = "/etc/unlearning/requests";
    /** The dataset ledger's file in the requests directory, for a training that leaves out what it forgot. */
    public static final String LEDGER_FILE = "ledger.yaml";
    public static final String ID_KEY_DIR = "/etc/unlearning/id-key";
    public static final String ID_KEY_FILE = ID_KEY_DIR + "/key";
    public static final String CACHE_DIR = "/var/cache/unlearning";

    // The environment it reads.
    public static final String ENV_TERMINATION_LOG = "UNLEARNING_TERMINATION_LOG";
    public static final String ENV_PVC_ROOT = "UNLEARNING_PVC_ROOT";
    public static final String ENV_THREADS = "UNLEARNING_THREADS";
    public static final String ENV_ID_KEY_FILE = "UNLEARNING_ID_KEY_FILE";
    public static final String ENV_DATA_CACHE = "UNLEARNING_DATA_CACHE";
    /** serve: the bearer token every request but the health probes must carry; unset: no authentication. */
    public static final String ENV_SERVING_TOKEN = "UNLEARNING_SERVING_TOKEN";

    private WorkerInvocation() {
    }

    /**
     * The first eight letters and digits of a model's uid, which its certificates and evidence carry in their names
     * (run ids start over when a model is created again under the same name); empty without a uid.
     */
    public static String uidPrefix(String uid) {
        String letters = uid == null ? "" : uid.replaceAll("[^a-z0-9]", "");
        return letters.substring(0, Math.min(8, letters.length()));
    }

    /** Trains the shard of the pod's completion index; with {@code ledger}, leaves out what the ledger forgot. */
    public static List<String> train(String run, boolean ledger) {
        List<String> args = new ArrayList<>(List.of(TRAIN, MODEL, MODEL_FILE, RUN, run));
        if (ledger) {
            args.addAll(List.of(LEDGER, REQUESTS_DIR + "/" + LEDGER_FILE));
        }
        return args;
    }

    public static List<String> publish(String run) {
        return List.of(PUBLISH, MODEL, MODEL_FILE, RUN, run);
    }

    /** Unlearns the shard of the pod's completion index among {@code shards}, for the requests named. */
    public static List<String> unlearn(UnlearningMethod method, String run, List<Integer> shards, int baseVersion,
            List<String> requests) {
        return run(UNLEARN, method, run, shards, baseVersion, requests);
    }

    /**
     * Verifies the run's candidate against {@code gate} ({@code threshold key → limit}, as {@code key=limit}) and
     * publishes it only if it passes.
     */
    public static List<String> finalize(UnlearningMethod method, String run, List<Integer> shards, int baseVersion,
            List<String> requests, List<String> gate) {
        List<String> args = run(FINALIZE, method, run, shards, baseVersion, requests);
        for (String threshold : gate) {
            args.addAll(List.of(GATE, threshold));
        }
        return args;
    }

    public static List<String> detect(String request) {
        return List.of(DETECT, MODEL, MODEL_FILE, REQUEST, requestFile(request));
    }

    public static List<String> erase(int servedVersion, int retention) {
        return List.of(ERASE, MODEL, MODEL_FILE, SERVED_VERSION, Integer.toString(servedVersion), RETENTION,
                Integer.toString(retention));
    }

    public static List<String> purge() {
        return List.of(PURGE, MODEL, MODEL_FILE);
    }

    public static List<String> serve(int version, int port) {
        return List.of(SERVE, MODEL, MODEL_FILE, VERSION, Integer.toString(version), PORT, Integer.toString(port));
    }

    /** Where a request's file is, by the request's name. */
    public static String requestFile(String request) {
        return REQUESTS_DIR + "/" + request + ".yaml";
    }

    private static List<String> run(String role, UnlearningMethod method, String run, List<Integer> shards,
            int baseVersion, List<String> requests) {
        List<String> args = new ArrayList<>(List.of(role, MODEL, MODEL_FILE, METHOD, method.name(), RUN, run, SHARDS,
                shards.stream().map(String::valueOf).collect(Collectors.joining(",")), BASE_VERSION,
                Integer.toString(baseVersion)));
        for (String request : requests) {
            args.addAll(List.of(REQUEST, requestFile(request)));
        }
        return args;
    }
}
