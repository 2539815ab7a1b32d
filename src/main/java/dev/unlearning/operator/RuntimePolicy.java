package dev.unlearning.operator;

import dev.unlearning.operator.config.OperatorSettings;
import dev.unlearning.api.RuntimeSpec;
import dev.unlearning.api.ShardedModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a tenant's {@code spec.runtime} may choose for the pods the operator starts on its behalf. Worker pods
 * handle other people's personal data and write the proof of its removal, so their image and identity are the
 * installation's choice: an image outside the allowed prefixes or a service account outside the allowed names
 * is refused before any Job or Deployment is made.
 */
public final class RuntimePolicy {

    private RuntimePolicy() {
    }

    /** Why the model's runtime is refused, if it is. */
    public static Optional<String> violation(ShardedModel model, OperatorSettings settings) {
        RuntimeSpec runtime = model.getSpec().getRuntime() != null ? model.getSpec().getRuntime() : new RuntimeSpec();
        List<String> problems = new ArrayList<>();
        String image = runtime.getImage();
        String runs = image != null ? image : settings.workerImage();
        if (settings.requireImageDigest() && !runs.contains("@sha256:")) {
            // A tag can be pushed again; a digest names the bytes that were allowed.
            problems.add("image " + runs + " is not pinned by digest, and this installation runs only images named "
                    + "repository@sha256:<digest> (worker.requireImageDigest)");
        }
        if (image != null && settings.allowedImages().stream().noneMatch(image::startsWith)) {
            problems.add("runtime.image " + image + " is not allowed here (allowed: "
                    + String.join(", ", settings.allowedImages().stream().map(p -> p + "*").toList()) + ")");
        }
        String account = runtime.getServiceAccountName();
        if (account != null && !settings.allowedServiceAccounts().contains(account)) {
            problems.add("runtime.serviceAccountName " + account + " is not allowed here (allowed: "
                    + String.join(", ", settings.allowedServiceAccounts()) + ")");
        }
        return problems.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", problems)
                + "; an administrator sets the allow-lists in the chart's worker.allowedImages and "
                + "worker.allowedServiceAccounts, and worker.requireImageDigest");
    }
}
