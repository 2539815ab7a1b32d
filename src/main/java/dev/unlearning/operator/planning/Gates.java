package dev.unlearning.operator.planning;

import dev.unlearning.api.DatasetFormat;
import dev.unlearning.api.DatasetSpec;
import dev.unlearning.api.GateDefaults;
import dev.unlearning.api.GateDefaults.RunKind;
import dev.unlearning.api.ShardedModelSpec;
import dev.unlearning.api.UnlearningMethod;
import dev.unlearning.api.UnlearningRequestSpec;
import dev.unlearning.api.VerificationSpec;
import dev.unlearning.api.Threshold;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The verification gate of a run: for every threshold, the strictest the model and any of its requests set,
 * and where none sets one, the model's defaults (relative, unless the model opted out and no request opted in).
 * The result names every limit explicitly, so the finalize Job and the certificate carry the gate as applied.
 */
public final class Gates {

    private Gates() {
    }

    /**
     * Why a request's gate could never be evaluated on its model, if it could not: an unmeasurable threshold
     * would fail every run (the gate fails closed), so the request is refused at once with the reason instead.
     */
    public static Optional<String> unmeasurable(ShardedModelSpec model, UnlearningRequestSpec request) {
        VerificationSpec gate = merge(model.getVerification(), request.getVerification() == null ? List.of()
                : List.of(request.getVerification()), kind(request));
        DatasetSpec data = model.getDataset();
        boolean csv = data != null && data.getFormat() == DatasetFormat.CSV;
        boolean needsTestUri = data != null && data.getFormat() != DatasetFormat.IDX;
        List<String> problems = new ArrayList<>();
        if (needsTestUri && data.getTestUri() == null) {
            for (Threshold threshold : HELD_OUT) {
                if (threshold.limit(gate) != null) {
                    problems.add(threshold.key() + " is measured on held-out data, and the model's "
                            + data.getFormat().name().toLowerCase(Locale.ROOT) + " dataset has "
                            + "no testUri" + (GateDefaults.RELATIVE.limit(threshold, kind(request)) != null
                                    ? " (set verification.defaults: None on the model to gate without it)" : ""));
                }
            }
        }
        if (request.getBackdoorTrigger() != null && csv) {
            problems.add("backdoorTrigger stamps images, and the model's data is csv");
        }
        for (Threshold threshold : List.of(Threshold.MAX_BACKDOOR_ASR, Threshold.MAX_BACKDOOR_ASR_EXCESS)) {
            if (threshold.limit(gate) != null && request.getBackdoorTrigger() == null) {
                problems.add(threshold.key() + " needs the request's backdoorTrigger to measure it with");
            }
        }
        UnlearningMethod method = Methods.effective(model, request.getMethod(),
                RequestKind.of(request));
        if (method != UnlearningMethod.EXACT
                && Arrays.stream(Threshold.values()).noneMatch(t -> t.forgetting() && t.limit(gate) != null)) {
            // Nothing could then evidence that an approximate method forgot anything; the gate would pass it on
            // utility alone.
            problems.add(method + " is verified only by a forgetting threshold, and the gate has none (verification"
                    + ".defaults: None): set one, e.g. maxForgetAccuracy, or use Exact");
        }
        return problems.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", problems));
    }

    /** The thresholds measured on held-out records, which a csv dataset without {@code testUri} does not have. */
    public static final List<Threshold> HELD_OUT = List.of(Threshold.MIN_TEST_ACCURACY, Threshold.MAX_MIA_AUC,
            Threshold.MAX_FORGET_ACCURACY_GAP, Threshold.MAX_MIA_ADVANTAGE, Threshold.MAX_TEST_ACCURACY_DROP,
            Threshold.MAX_FORGOTTEN_CLASS_TEST_ACCURACY);

    /** The gate of a run that forgets records: no backdoor canaries, no classes. */
    /** A request's own gate as a comparable key: equal keys, equal thresholds and defaults ("" for none). */
    public static String key(VerificationSpec request) {
        if (request == null) {
            return "";
        }
        try {
            return CANONICAL.writeValueAsString(request);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper CANONICAL = new com.fasterxml.jackson.databind.ObjectMapper()
            .configure(com.fasterxml.jackson.databind.MapperFeature.SORT_PROPERTIES_ALPHABETICALLY, true)
            .configure(com.fasterxml.jackson.databind.SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
            .setSerializationInclusion(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL);

    public static VerificationSpec merge(VerificationSpec model, List<VerificationSpec> requests) {
        return merge(model, requests, RunKind.RECORDS);
    }

    /** What a request forgets, as far as the defaults go: canaries carry a trigger, labels name classes. */
    public static RunKind kind(UnlearningRequestSpec request) {
        List<Integer> labels = request.getForget() == null ? null : request.getForget().getLabels();
        return new RunKind(request.getBackdoorTrigger() != null, labels != null && !labels.isEmpty());
    }

    /** A run's kind: canaries or classes if any of its requests has them, so their attack or class can be measured. */
    public static RunKind kind(List<UnlearningRequestSpec> requests) {
        return new RunKind(requests.stream().anyMatch(r -> kind(r).canaries()),
                requests.stream().anyMatch(r -> kind(r).classes()));
    }

    /** {@code run}: which thresholds beyond the relative ones can be measured, and so default. */
    public static VerificationSpec merge(VerificationSpec model, List<VerificationSpec> requests, RunKind run) {
        List<VerificationSpec> all = new ArrayList<>();
        all.add(model);
        all.addAll(requests);
        GateDefaults defaults = defaults(model, requests);
        VerificationSpec gate = new VerificationSpec();
        gate.setDefaults(defaults);
        for (Threshold threshold : Threshold.values()) {
            Double limit = null;
            for (VerificationSpec spec : all) {
                limit = threshold.stricter(limit, threshold.limit(spec));
            }
            threshold.setLimit(gate, limit != null ? limit : defaults.limit(threshold, run));
        }
        return gate;
    }

    /** Relative unless the model opted out, and no request opted back in: a request may tighten, never loosen. */
    private static GateDefaults defaults(VerificationSpec model, List<VerificationSpec> requests) {
        boolean modelOptedOut = model != null && model.getDefaults() == GateDefaults.NONE;
        boolean requestOptedIn = requests.stream()
                .anyMatch(r -> r != null && r.getDefaults() == GateDefaults.RELATIVE);
        return modelOptedOut && !requestOptedIn ? GateDefaults.NONE : GateDefaults.RELATIVE;
    }
}
