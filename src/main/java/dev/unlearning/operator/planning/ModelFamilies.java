package dev.unlearning.operator.planning;

import dev.unlearning.api.ShardedModelSpec;
import dev.unlearning.api.UnlearningMethod;
import dev.unlearning.api.UnlearningRequestSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a request may ask of its model's family. A language model has no classes and no images, each network
 * family has its own approximate methods, and a knn model has none (it forgets exactly, instantly): a request
 * its model cannot serve is refused at once, with the reason, rather than failing in a Job.
 */
public final class ModelFamilies {

    private ModelFamilies() {
    }

    public static Optional<String> unsupported(ShardedModelSpec model, UnlearningRequestSpec request) {
        boolean languageModel = model.getArchitecture() != null && model.getArchitecture().getType().languageModel();
        UnlearningMethod method = Methods.effective(model, request.getMethod(), RequestKind.of(request));
        if (model.getArchitecture() != null && model.getArchitecture().getType().exactOnly()) {
            return method == UnlearningMethod.EXACT ? Optional.empty() : Optional.of(method.specName()
                    + " does not apply to a knn model: it forgets Exact (or Auto), by dropping the records from its "
                    + "index");
        }
        if (!languageModel) {
            return method.fits(false) ? Optional.empty() : Optional.of(method.specName()
                    + " is a language-model method; a classifier unlearns Exact or with SCRUB, NegGradPlus, FineTune, "
                    + "SSD or SalUn");
        }
        List<String> problems = new ArrayList<>();
        if (request.getForget() != null && request.getForget().getLabels() != null) {
            problems.add("forget.labels names classes, and a transformer-lm's text records have none: forget "
                    + "subjects or recordIds");
        }
        if (request.getForget() != null && request.getForget().getOutliers() != null) {
            problems.add("forget.outliers measures records by their features, and a transformer-lm's text records "
                    + "have none: forget subjects or recordIds");
        }
        if (request.getBackdoorTrigger() != null) {
            problems.add("backdoorTrigger stamps images, and a transformer-lm reads text");
        }
        if (!method.fits(true)) {
            problems.add(method.specName() + " is a classifier method; a transformer-lm unlearns Exact (its shards "
                    + "retrain from their last clean slice), GradientDifference or NPO");
        }
        return problems.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", problems));
    }
}
