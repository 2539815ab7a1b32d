package dev.unlearning.cli;

/**
 * Exit codes of the engine roles, which Job pods report and the operator reads. Documented in the README.
 */
public final class ExitCodes {
    public static final int OK = 0;
    /** An unexpected failure (a bug, or the machine): retrying may help. */
    public static final int UNEXPECTED = 1;
    /** The input is invalid (spec, request, empty forget set): retrying cannot help. */
    public static final int INVALID_INPUT = 2;
    /** The training data is missing or malformed. */
    public static final int DATA_ERROR = 3;
    /** The store failed, or holds a corrupt or missing artifact, or another writer won a version. */
    public static final int STORE_ERROR = 4;
    /** The unlearned version missed the verification thresholds; nothing was published. */
    public static final int GATE_FAILED = 5;

    private ExitCodes() {
    }
}
