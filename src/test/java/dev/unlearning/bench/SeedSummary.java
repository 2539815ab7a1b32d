package dev.unlearning.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The unlearning benchmark over seeds: each method's mean and range per scenario, and issue #16's targets
 * judged seed by seed against the retrain of the same seed.
 */
final class SeedSummary {

    static final String RETRAIN = "Retrain (ensemble)";
    /** The methods the targets are about: the approximate ones. */
    static final List<String> APPROXIMATE = List.of("SCRUB", "NegGrad+", "Fine-tune", "SSD", "SalUn");
    static final double MAX_COST = 0.10;

    private final List<BenchRow> rows;

    SeedSummary(List<BenchRow> rows) {
        this.rows = rows;
    }

    List<String> scenarios() {
        return rows.stream().map(BenchRow::scenario).distinct().toList();
    }

    List<String> methods() {
        return rows.stream().map(BenchRow::method).distinct().toList();
    }

    List<BenchRow> of(String scenario, String method) {
        return rows.stream().filter(r -> r.scenario().equals(scenario) && r.method().equals(method)).toList();
    }

    /** The retrain reference of a row's scenario and seed. */
    BenchRow retrainOf(BenchRow row) {
        return rows.stream().filter(r -> r.scenario().equals(row.scenario()) && r.method().equals(RETRAIN)
                && r.seed() == row.seed()).findFirst().orElseThrow(() -> new IllegalStateException(
                        "no retrain for " + row.scenario() + " seed " + row.seed()));
    }

    /** "mean [min, max]" of a metric over a group's seeds, scaled, or "–" where no seed measured it. */
    static String range(List<BenchRow> group, Function<BenchRow, Double> metric, double scale, String format) {
        List<Double> values = group.stream().map(metric).filter(Objects::nonNull).map(v -> v * scale).toList();
        if (values.isEmpty()) {
            return "–";
        }
        double mean = values.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        if (values.size() == 1) {
            return String.format(format, mean);
        }
        return String.format(format + " [" + format + ", " + format + "]", mean,
                values.stream().mapToDouble(Double::doubleValue).min().orElseThrow(),
                values.stream().mapToDouble(Double::doubleValue).max().orElseThrow());
    }

    static double mean(List<BenchRow> group, Function<BenchRow, Double> metric) {
        return group.stream().map(metric).filter(Objects::nonNull).mapToDouble(Double::doubleValue).average()
                .orElse(Double.NaN);
    }

    /** One target for one method: met, or what missed it. */
    record Verdict(String target, String method, boolean met, String detail) {
    }

    /**
     * Issue #16's targets for the approximate methods, each judged on every seed: backdoor ASR ≤ retrain + 2
     * points and test ≥ retrain − 1; whole class forgotten ≤ 2% and other classes ≥ retrain − 1; 1% random
     * average gap ≤ 1 point (mean over seeds); each at ≤ 10% of a full retrain's wall time.
     */
    List<Verdict> verdicts() {
        List<Verdict> out = new ArrayList<>();
        for (String method : methods().stream().filter(m -> APPROXIMATE.stream()
                .anyMatch(a -> m.equals(a) || m.startsWith(a + " ["))).toList()) {
            scenario("d:").ifPresent(d -> out.add(perSeed("backdoor canaries: ASR ≤ retrain + 2, test ≥ retrain − 1", method,
                    of(d, method), r -> {
                        BenchRow ref = retrainOf(r);
                        return r.asr() != null && ref.asr() != null && r.asr() <= ref.asr() + 0.02
                                && r.testAcc() >= ref.testAcc() - 0.01;
                    }, r -> String.format("ASR %.1f%% vs %.1f%%, test %.1f%% vs %.1f%%", 100 * r.asr(),
                            100 * retrainOf(r).asr(), 100 * r.testAcc(), 100 * retrainOf(r).testAcc()))));
            scenario("e:").ifPresent(e -> out.add(perSeed("whole class: forgotten ≤ 2%, other classes ≥ retrain − 1",
                    method, of(e, method), r -> r.forgottenClassTestAcc() <= 0.02
                            && r.otherClassesTestAcc() >= retrainOf(r).otherClassesTestAcc() - 0.01,
                    r -> String.format("forgotten %.1f%%, other %.1f%% vs %.1f%%", 100 * r.forgottenClassTestAcc(),
                            100 * r.otherClassesTestAcc(), 100 * retrainOf(r).otherClassesTestAcc()))));
            scenario("c:").ifPresent(c -> {
                List<BenchRow> group = of(c, method);
                double gap = mean(group, BenchRow::avgGap);
                out.add(new Verdict("1% random: average gap ≤ 1 point (mean of seeds)", method, gap <= 1.0,
                        String.format("%.2f points", gap)));
            });
            for (String scenario : List.of("c:", "d:", "e:")) {
                scenario(scenario).ifPresent(s -> out.add(perSeed(s.substring(0, 1) + ": cost ≤ 10% of a retrain (wall)",
                        method, of(s, method), r -> r.wallRatio() <= MAX_COST,
                        r -> String.format("%.3f", r.wallRatio()))));
            }
        }
        return out;
    }

    private java.util.Optional<String> scenario(String prefix) {
        return scenarios().stream().filter(s -> s.startsWith(prefix)).findFirst();
    }

    private static Verdict perSeed(String target, String method, List<BenchRow> group,
            java.util.function.Predicate<BenchRow> meets, Function<BenchRow, String> detail) {
        if (group.isEmpty()) {
            return new Verdict(target, method, false, "not measured");
        }
        List<String> misses = group.stream().filter(meets.negate())
                .map(r -> "seed " + r.seed() + ": " + detail.apply(r)).toList();
        long met = group.size() - misses.size();
        return new Verdict(target, method, misses.isEmpty(), met + "/" + group.size() + " seeds"
                + (misses.isEmpty() ? "" : "; " + String.join("; ", misses)));
    }

    /** For the JSON: each verdict as a map. */
    List<Map<String, Object>> verdictMaps() {
        return verdicts().stream().map(v -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("target", v.target());
            m.put("method", v.method());
            m.put("met", v.met());
            m.put("detail", v.detail());
            return m;
        }).toList();
    }
}
