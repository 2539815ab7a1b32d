package dev.unlearning.operator;

import java.time.Duration;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Installation-wide settings (the Helm chart sets them): which image and service account worker pods use,
 * the GPU resource name, and the Secret holding the key that signs certificates.
 */
public record OperatorSettings(String workerImage, String imagePullPolicy, String workerServiceAccount,
        String gpuResourceName, String signingKeySecret, Duration erasureRetry) {

    /** The same settings with another wait before a failed erasure is tried again. */
    public OperatorSettings withErasureRetry(Duration retry) {
        return new OperatorSettings(workerImage, imagePullPolicy, workerServiceAccount, gpuResourceName,
                signingKeySecret, retry);
    }

    public static OperatorSettings defaults() {
        return new OperatorSettings("ghcr.io/unlearning-dev/unlearning-operator:latest", "IfNotPresent",
                "unlearning-worker", "nvidia.com/gpu", "unlearning-certificate-key", Duration.ofSeconds(60));
    }

    public static OperatorSettings fromConfig() {
        Config config = ConfigProvider.getConfig();
        OperatorSettings d = defaults();
        return new OperatorSettings(
                config.getOptionalValue("unlearning.worker.image", String.class).orElse(d.workerImage()),
                config.getOptionalValue("unlearning.worker.image-pull-policy", String.class).orElse(d.imagePullPolicy()),
                config.getOptionalValue("unlearning.worker.service-account", String.class).orElse(d.workerServiceAccount()),
                config.getOptionalValue("unlearning.gpu-resource-name", String.class).orElse(d.gpuResourceName()),
                config.getOptionalValue("unlearning.signing-key-secret", String.class).orElse(d.signingKeySecret()),
                config.getOptionalValue("unlearning.erasure.retry-seconds", Long.class).map(Duration::ofSeconds)
                        .orElse(d.erasureRetry()));
    }
}
