package dev.unlearning.operator.planning;

import dev.unlearning.api.ShardedModelSpec;
import dev.unlearning.api.UnlearningMethod;
import dev.unlearning.api.UnlearningRequestSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a request may ask of its model's family. A language model has no classes and no images, and the
 * approximate methods the operator runs are classifier methods: such a request is refused at once, with the
 * reason, rather than failing in a Job.
 */
public final class ModelFamilies {

    private ModelFamilies() {
    }

    public static Optional<String> unsupported(ShardedModelSpec model, UnlearningRequestSpec request) {
        if (model.getArchitecture() == null || !model.getArchitecture().getType().languageModel()) {
            return Optional.empty();
        }
        List<String> problems = new ArrayList<>();
        if (request.getForget() != null && request.getForget().getLabels() != null) {
            problems.add("forget.labels names classes, and a transformer-lm's text records have none: forget "
                    + "subjects or recordIds");
        }
        if (request.getBackdoorTrigger() != null) {
            problems.add("backdoorTrigger stamps images, and a transformer-lm reads text");
        }
        UnlearningMethod method = Methods.effective(model.getUnlearning().getMethod(), request.getMethod(),
                RequestKind.of(request));
        if (method != UnlearningMethod.EXACT) {
            problems.add(method.specName() + " is a classifier method; a transformer-lm unlearns Exact (its shards retrain "
                    + "from their last clean slice)");
        }
        return problems.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", problems));
    }
}
