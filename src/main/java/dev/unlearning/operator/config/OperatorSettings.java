package dev.unlearning.operator.config;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
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
        String certificateKeysSecret, String followUpPriorityClass, boolean requireImageDigest) {

    public OperatorSettings {
        allowedImages = List.copyOf(allowedImages);
        allowedServiceAccounts = List.copyOf(allowedServiceAccounts);
    }

    /** The same settings with another wait before a failed erasure is tried again. */
    public OperatorSettings withErasureRetry(Duration retry) {
        return new OperatorSettings(workerImage, imagePullPolicy, workerServiceAccount, gpuResourceName,
                idKeySecret, retry, allowedImages, allowedServiceAccounts, ambientS3Credentials, operatorNamespace,
                certificateKeysSecret, followUpPriorityClass, requireImageDigest);
    }

    /** The same settings with other allow-lists for {@code spec.runtime.image} and {@code serviceAccountName}. */
    public OperatorSettings withAllowed(List<String> images, List<String> serviceAccounts) {
        return new OperatorSettings(workerImage, imagePullPolicy, workerServiceAccount, gpuResourceName,
                idKeySecret, erasureRetry, images, serviceAccounts, ambientS3Credentials, operatorNamespace,
                certificateKeysSecret, followUpPriorityClass, requireImageDigest);
    }

    /**
     * The same settings with a Kueue WorkloadPriorityClass for exact follow-up runs (owed retrains due by a
     * deadline), so they queue behind interactive requests; empty: no priority label.
     */
    public OperatorSettings withFollowUpPriorityClass(String priorityClass) {
        return new OperatorSettings(workerImage, imagePullPolicy, workerServiceAccount, gpuResourceName,
                idKeySecret, erasureRetry, allowedImages, allowedServiceAccounts, ambientS3Credentials, operatorNamespace,
                certificateKeysSecret, priorityClass, requireImageDigest);
    }

    /** The same settings, requiring every pod image to be pinned by digest ({@code repository@sha256:...}) or not. */
    public OperatorSettings withImageDigestRequired(boolean required) {
        return new OperatorSettings(workerImage, imagePullPolicy, workerServiceAccount, gpuResourceName,
                idKeySecret, erasureRetry, allowedImages, allowedServiceAccounts, ambientS3Credentials, operatorNamespace,
                certificateKeysSecret, followUpPriorityClass, required);
    }

    /** The same settings with the namespace whose Secret holds the certificate signing keys. */
    public OperatorSettings withOperatorNamespace(String namespace) {
        return new OperatorSettings(workerImage, imagePullPolicy, workerServiceAccount, gpuResourceName,
                idKeySecret, erasureRetry, allowedImages, allowedServiceAccounts, ambientS3Credentials, namespace,
                certificateKeysSecret, followUpPriorityClass, requireImageDigest);
    }

    public static OperatorSettings defaults() {
        String image = "ghcr.io/unlearning-dev/unlearning-operator:latest";
        return new OperatorSettings(image, "IfNotPresent", "unlearning-worker", "nvidia.com/gpu",
                "unlearning-id-key", Duration.ofSeconds(60), ownImages(image), List.of("unlearning-worker"),
                false, "unlearning-system", "unlearning-signing-keys", "", false);
    }

    public static OperatorSettings fromConfig() {
        Config config = ConfigProvider.getConfig();
        return from(key -> config.getOptionalValue(key, String.class));
    }

    /**
     * Settings from configuration properties ({@code unlearning.worker.image}, ...), looked up one by one; a
     * test gives it the chart's Deployment environment, so the operator it runs is configured as installed.
     */
    public static OperatorSettings from(Function<String, Optional<String>> property) {
        OperatorSettings d = defaults();
        String image = property.apply("unlearning.worker.image").orElse(d.workerImage());
        String account = property.apply("unlearning.worker.service-account").orElse(d.workerServiceAccount());
        return new OperatorSettings(
                image,
                property.apply("unlearning.worker.image-pull-policy").orElse(d.imagePullPolicy()),
                account,
                property.apply("unlearning.gpu-resource-name").orElse(d.gpuResourceName()),
                property.apply("unlearning.id-key-secret").orElse(d.idKeySecret()),
                property.apply("unlearning.erasure.retry-seconds").map(Long::parseLong).map(Duration::ofSeconds)
                        .orElse(d.erasureRetry()),
                list(property, "unlearning.worker.allowed-images").orElse(ownImages(image)),
                list(property, "unlearning.worker.allowed-service-accounts").orElse(List.of(account)),
                property.apply("unlearning.s3.allow-ambient-credentials").map(Boolean::parseBoolean).orElse(false),
                property.apply("unlearning.namespace").orElse(d.operatorNamespace()),
                property.apply("unlearning.certificate-keys-secret").orElse(d.certificateKeysSecret()),
                property.apply("unlearning.kueue.follow-up-priority-class").orElse(""),
                property.apply("unlearning.worker.require-image-digest").map(Boolean::parseBoolean).orElse(false));
    }

    /** Every tag of the worker image's repository and of its CUDA variant (the GPU example's image). */
    static List<String> ownImages(String image) {
        return List.of(repository(image) + ":", repository(image) + "-cuda:");
    }

    /** An image reference without its tag or digest: every tag of the operator's own image is allowed. */
    public static String repository(String image) {
        String withoutDigest = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
        int colon = withoutDigest.lastIndexOf(':');
        return colon > withoutDigest.lastIndexOf('/') ? withoutDigest.substring(0, colon) : withoutDigest;
    }

    private static Optional<List<String>> list(Function<String, Optional<String>> property, String key) {
        return property.apply(key).map(v -> Arrays.stream(v.split(","))
                .map(String::strip).filter(s -> !s.isEmpty()).toList()).filter(l -> !l.isEmpty());
    }
}
