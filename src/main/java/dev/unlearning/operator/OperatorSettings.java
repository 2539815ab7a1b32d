package dev.unlearning.operator;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Installation-wide settings (the Helm chart sets them): which image and service account worker pods use,
 * the GPU resource name, the per-namespace Secret whose key digests record ids (tombstones, ledgers, request files, evidence),
 * the operator's own namespace and the Secret there that holds the Ed25519 keys certificates are signed with
 * (never mounted into any pod), and what a tenant's
 * {@code spec.runtime} may choose: images (by prefix) and service accounts outside these lists are refused, and
 * S3 clients use the node's own credentials only where this installation allows it.
 */
public record OperatorSettings(String workerImage, String imagePullPolicy, String workerServiceAccount,
        String gpuResourceName, String idKeySecret, Duration erasureRetry, List<String> allowedImages,
        List<String> allowedServiceAccounts, boolean ambientS3Credentials, String operatorNamespace,
        String certificateKeysSecret, String followUpPriorityClass) {

    public OperatorSettings {
        allowedImages = List.copyOf(allowedImages);
        allowedServiceAccounts = List.copyOf(allowedServiceAccounts);
    }

    /** The same settings with another wait before a failed erasure is tried again. */
    public OperatorSettings withErasureRetry(Duration retry) {
        return new OperatorSettings(workerImage, imagePullPolicy, workerServiceAccount, gpuResourceName,
                idKeySecret, retry, allowedImages, allowedServiceAccounts, ambientS3Credentials, operatorNamespace,
                certificateKeysSecret, followUpPriorityClass);
    }

    /** The same settings with other allow-lists for {@code spec.runtime.image} and {@code serviceAccountName}. */
    public OperatorSettings withAllowed(List<String> images, List<String> serviceAccounts) {
        return new OperatorSettings(workerImage, imagePullPolicy, workerServiceAccount, gpuResourceName,
                idKeySecret, erasureRetry, images, serviceAccounts, ambientS3Credentials, operatorNamespace,
                certificateKeysSecret, followUpPriorityClass);
    }

    /**
     * The same settings with a Kueue WorkloadPriorityClass for exact follow-up runs (owed retrains due by a
     * deadline), so they queue behind interactive requests; empty: no priority label.
     */
    public OperatorSettings withFollowUpPriorityClass(String priorityClass) {
        return new OperatorSettings(workerImage, imagePullPolicy, workerServiceAccount, gpuResourceName,
                idKeySecret, erasureRetry, allowedImages, allowedServiceAccounts, ambientS3Credentials, operatorNamespace,
                certificateKeysSecret, priorityClass);
    }

    /** The same settings with the namespace whose Secret holds the certificate signing keys. */
    public OperatorSettings withOperatorNamespace(String namespace) {
        return new OperatorSettings(workerImage, imagePullPolicy, workerServiceAccount, gpuResourceName,
                idKeySecret, erasureRetry, allowedImages, allowedServiceAccounts, ambientS3Credentials, namespace,
                certificateKeysSecret, followUpPriorityClass);
    }

    public static OperatorSettings defaults() {
        String image = "ghcr.io/unlearning-dev/unlearning-operator:latest";
        return new OperatorSettings(image, "IfNotPresent", "unlearning-worker", "nvidia.com/gpu",
                "unlearning-id-key", Duration.ofSeconds(60), ownImages(image), List.of("unlearning-worker"),
                false, "unlearning-system", "unlearning-signing-keys", "");
    }

    public static OperatorSettings fromConfig() {
        Config config = ConfigProvider.getConfig();
        OperatorSettings d = defaults();
        String image = config.getOptionalValue("unlearning.worker.image", String.class).orElse(d.workerImage());
        String account = config.getOptionalValue("unlearning.worker.service-account", String.class)
                .orElse(d.workerServiceAccount());
        return new OperatorSettings(
                image,
                config.getOptionalValue("unlearning.worker.image-pull-policy", String.class).orElse(d.imagePullPolicy()),
                account,
                config.getOptionalValue("unlearning.gpu-resource-name", String.class).orElse(d.gpuResourceName()),
                config.getOptionalValue("unlearning.id-key-secret", String.class).orElse(d.idKeySecret()),
                config.getOptionalValue("unlearning.erasure.retry-seconds", Long.class).map(Duration::ofSeconds)
                        .orElse(d.erasureRetry()),
                list(config, "unlearning.worker.allowed-images").orElse(ownImages(image)),
                list(config, "unlearning.worker.allowed-service-accounts").orElse(List.of(account)),
                config.getOptionalValue("unlearning.s3.allow-ambient-credentials", Boolean.class).orElse(false),
                config.getOptionalValue("unlearning.namespace", String.class).orElse(d.operatorNamespace()),
                config.getOptionalValue("unlearning.certificate-keys-secret", String.class)
                        .orElse(d.certificateKeysSecret()),
                config.getOptionalValue("unlearning.kueue.follow-up-priority-class", String.class).orElse(""));
    }

    /** Every tag of the worker image's repository and of its CUDA variant (the GPU example's image). */
    static List<String> ownImages(String image) {
        return List.of(repository(image) + ":", repository(image) + "-cuda:");
    }

    /** An image reference without its tag or digest: every tag of the operator's own image is allowed. */
    static String repository(String image) {
        String withoutDigest = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
        int colon = withoutDigest.lastIndexOf(':');
        return colon > withoutDigest.lastIndexOf('/') ? withoutDigest.substring(0, colon) : withoutDigest;
    }

    private static java.util.Optional<List<String>> list(Config config, String key) {
        return config.getOptionalValue(key, String.class).map(v -> Arrays.stream(v.split(","))
                .map(String::strip).filter(s -> !s.isEmpty()).toList()).filter(l -> !l.isEmpty());
    }
}
