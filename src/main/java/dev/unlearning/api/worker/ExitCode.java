package dev.unlearning.api.worker;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Exit codes of the worker roles. The operator fails a Job at once on the final ones: retrying cannot help. */
public enum ExitCode {
    OK(0, false),
    /** An unexpected failure (a bug, or the machine): retrying may help. */
    UNEXPECTED(1, false),
    /** The input is invalid (spec, request, empty forget set). */
    INVALID_INPUT(2, true),
    /** The training data is missing or malformed. */
    DATA_ERROR(3, true),
    /** The store failed, holds a corrupt or missing artifact, or another writer won a version. */
    STORE_ERROR(4, false),
    /** The unlearned version missed the verification thresholds; nothing was published. */
    GATE_FAILED(5, true),
    /** {@code verify}: the certificate's signature, subject or claims do not hold. */
    CERTIFICATE_INVALID(6, false);

    private final int code;
    private final boolean fatal;

    ExitCode(int code, boolean fatal) {
        this.code = code;
        this.fatal = fatal;
    }

    public int code() {
        return code;
    }

    /** True when a retry of the same pod cannot succeed. */
    public boolean fatal() {
        return fatal;
    }

    public static Optional<ExitCode> of(Integer code) {
        return code == null ? Optional.empty() : Arrays.stream(values()).filter(c -> c.code == code).findFirst();
    }

    /** The codes a Job's pod failure policy should fail the Job on at once. */
    public static List<Integer> fatalCodes() {
        return Arrays.stream(values()).filter(ExitCode::fatal).map(ExitCode::code).toList();
    }
}
