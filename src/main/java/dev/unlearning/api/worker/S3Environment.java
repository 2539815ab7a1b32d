package dev.unlearning.api.worker;

import java.util.List;

/**
 * The environment a worker's S3 client reads, and so the only keys of a model's Secrets (spec.storage.secretRef,
 * spec.dataset.secretRef) that its pods get. A Secret is never injected whole: a key such as JAVA_TOOL_OPTIONS or
 * LD_PRELOAD in it would run the Secret writer's code inside the allowed image.
 */
public final class S3Environment {

    public static final String ACCESS_KEY_ID = "AWS_ACCESS_KEY_ID";
    public static final String SECRET_ACCESS_KEY = "AWS_SECRET_ACCESS_KEY";
    public static final String SESSION_TOKEN = "AWS_SESSION_TOKEN";
    public static final String REGION = "AWS_REGION";
    public static final String ENDPOINT_URL = "AWS_ENDPOINT_URL";
    public static final String FORCE_PATH_STYLE = "AWS_S3_FORCE_PATH_STYLE";

    /** The keys taken from a model's Secrets, each only if the Secret has it. */
    public static final List<String> FROM_SECRETS = List.of(ACCESS_KEY_ID, SECRET_ACCESS_KEY, SESSION_TOKEN, REGION,
            ENDPOINT_URL, FORCE_PATH_STYLE);

    private S3Environment() {
    }
}
