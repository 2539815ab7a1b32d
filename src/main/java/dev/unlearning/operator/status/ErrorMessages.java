package dev.unlearning.operator.status;

import io.fabric8.kubernetes.client.KubernetesClientException;

/** One line for a condition from an exception: the API server's own message where there is one. */
final class ErrorMessages {

    private ErrorMessages() {
    }

    static String of(Exception error) {
        Throwable cause = error;
        while (cause.getCause() != null && !(cause instanceof KubernetesClientException)) {
            cause = cause.getCause();
        }
        String message = cause instanceof KubernetesClientException k && k.getStatus() != null
                && k.getStatus().getMessage() != null
                        ? "API error " + k.getCode() + ": " + k.getStatus().getMessage()
                        : cause.getClass().getSimpleName() + ": " + cause.getMessage();
        return message.length() > 1000 ? message.substring(0, 1000) : message;
    }
}
