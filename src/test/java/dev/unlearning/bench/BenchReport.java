package dev.unlearning.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import java.util.function.ToDoubleFunction;

/** Writes a suite's rows as JSON, a markdown table and bar charts. */
final class BenchReport {

    private final Path dir;
    private final String suite;
    private final Map<String, Object> setup;
    private final List<BenchRow> rows;

    BenchReport(Path dir, String suite, Map<String, Object> setup, List<BenchRow> rows) {
        this.dir = dir;
        this.suite = suite;
        this.setup = setup;
        this.rows = rows;
    }

    void write() throws Exception {
        Files.createDirectories(dir);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("suite", suite);
        json.put("measuredAt", Instant.now().toString());
        json.put("setup", setup);
        json.put("targets", new SeedSummary(rows).verdictMaps());
        json.put("rows", rows);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(dir.resolve(suite + ".json").toFile(), json);
        Files.writeString(dir.resolve(suite + ".md"), markdown());
        chart("wall time relative to a full ensemble retrain", "wallRatio", false, BenchRow::wallRatio);
        chart("test accuracy", "testAcc", false, r -> r.testAcc() == null ? 0 : r.testAcc());
        chart("average gap to retrain (points)", "avgGap", false, BenchRow::avgGap);
        for (String scenario : new SeedSummary(rows).scenarios()) {
            frontier(scenario);
        }
        System.err.println("wrote " + dir.resolve(suite + ".json") + ", .md and plots");
    }

    private String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("Setup: ").append(setup).append("\n\n");
        SeedSummary summary = new SeedSummary(rows);
        md.append("Mean [min, max] over seeds (each seed trains the ensemble, the retrain and every method anew):\n\n");
        md.append("| scenario | method | seeds | wall ratio | samples ratio | forget acc | test acc | MIA AUC | ASR | avg gap (pts) | default gate passes |\n");
        md.append("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (String scenario : summary.scenarios()) {
            for (String method : summary.methods()) {
                List<BenchRow> group = summary.of(scenario, method);
                if (group.isEmpty()) {
                    continue;
                }
                md.append(String.format("| %s | %s | %d | %s | %s | %s | %s | %s | %s | %s | %d/%d |%n", scenario, method,
                        group.size(), SeedSummary.range(group, BenchRow::wallRatio, 1, "%.3f"),
                        SeedSummary.range(group, BenchRow::samplesRatio, 1, "%.3f"),
                        SeedSummary.range(group, BenchRow::forgetAcc, 100, "%.1f"),
                        SeedSummary.range(group, BenchRow::testAcc, 100, "%.1f"),
                        SeedSummary.range(group, BenchRow::miaAuc, 1, "%.3f"),
                        SeedSummary.range(group, BenchRow::asr, 100, "%.1f"),
                        SeedSummary.range(group, BenchRow::avgGap, 1, "%.2f"),
                        group.stream().filter(r -> r.defaultGate().equals("pass")).count(), group.size()));
            }
        }
        List<BenchRow> classSummary = rows.stream().filter(r -> r.forgottenClassTestAcc() != null).toList();
        if (!classSummary.isEmpty()) {
            md.append("\nWhole class, over seeds: test accuracy on the forgotten class and on the other classes (%):\n\n");
            md.append("| method | forgotten class | other classes |\n| --- | ---: | ---: |\n");
            String scenario = classSummary.get(0).scenario();
            for (String method : summary.methods()) {
                List<BenchRow> group = summary.of(scenario, method);
                if (!group.isEmpty()) {
                    md.append(String.format("| %s | %s | %s |%n", method,
                            SeedSummary.range(group, BenchRow::forgottenClassTestAcc, 100, "%.1f"),
                            SeedSummary.range(group, BenchRow::otherClassesTestAcc, 100, "%.1f")));
                }
            }
        }
        md.append("\nTargets of the approximate methods, judged on every seed against the retrain of that seed:\n\n");
        md.append("| target | method | met | detail |\n| --- | --- | --- | --- |\n");
        for (SeedSummary.Verdict v : summary.verdicts()) {
            md.append(String.format("| %s | %s | %s | %s |%n", v.target(), v.method(), v.met() ? "met" : "**not met**", v.detail()));
        }
        md.append("\nEvery seed's rows:\n\n");
        md.append("| scenario | method | seed | wall s | wall ratio | samples ratio | forget acc | retain acc | test acc | MIA AUC | ASR | avg gap (pts) |\n");
        md.append("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (BenchRow r : rows) {
            md.append(String.format("| %s | %s | %d | %.2f | %.4f | %.4f | %s | %s | %s | %s | %s | %.2f |%n", r.scenario(), r.method(),
                    r.seed(), r.wallSeconds(), r.wallRatio(), r.samplesRatio(), pct(r.forgetAcc()), pct(r.retainAcc()),
                    pct(r.testAcc()), num(r.miaAuc()), pct(r.asr()), r.avgGap()));
        }
        md.append("\nThe default gate on each row (relative checks; ± is the chance allowance; drop in points from the "
                + "original over the kept classes):\n\n");
        md.append("| scenario | method | seed | forget − look-alike (pts) | MIA advantage | test drop (pts) | ASR excess (pts) | default gate |\n");
        md.append("| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |\n");
        for (BenchRow r : rows) {
            md.append(String.format("| %s | %s | %d | %s | %s | %s | %s | %s |%n", r.scenario(), r.method(), r.seed(),
                    plusMinus(r.forgetGap(), r.forgetGapNoise(), 100, "%.1f"),
                    plusMinus(r.miaAdvantage(), r.miaAdvantageNoise(), 1, "%.3f"),
                    r.testDrop() == null ? "–" : String.format("%.1f", 100 * r.testDrop()),
                    plusMinus(r.asrExcess(), r.asrExcessNoise(), 100, "%.1f"), r.defaultGate()));
        }
        return md.toString();
    }

    private static String plusMinus(Double value, Double noise, double scale, String format) {
        if (value == null) {
            return "–";
        }
        String v = String.format(format, scale * value);
        return noise == null ? v : v + " ± " + String.format(format, scale * noise);
    }

    private void chart(String title, String file, boolean log, ToDoubleFunction<BenchRow> value)
            throws Exception {
        List<String> scenarios = rows.stream().map(BenchRow::scenario).distinct().toList();
        List<String> methods = rows.stream().map(BenchRow::method).distinct()
                .filter(m -> !(log && m.startsWith("Original"))).toList();
        CategoryChart chart = new CategoryChartBuilder().width(1100).height(520).title(title)
                .xAxisTitle("scenario").yAxisTitle(file).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setYAxisLogarithmic(log);
        for (String method : methods) {
            List<Double> ys = scenarios.stream().map(s -> rows.stream()
                    .filter(r -> r.scenario().equals(s) && r.method().equals(method))
                    .mapToDouble(value).map(v -> log ? Math.max(v, 1e-4) : v).average().orElse(0)).toList();
            chart.addSeries(method, scenarios.stream().map(s -> s.substring(0, 1)).toList(), ys);
        }
        BitmapEncoder.saveBitmap(chart, dir.resolve(suite + "-" + file).toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    /**
     * Quality against cost, one point per method and seed: wall time relative to the same seed's full retrain
     * (log scale) against the average gap to that retrain. Original (no cost) and the retrain itself are left out.
     */
    private void frontier(String scenario) throws Exception {
        XYChart chart = new XYChartBuilder().width(900).height(520).title(scenario + ": quality vs cost, per seed")
                .xAxisTitle("wall time / full ensemble retrain (log)").yAxisTitle("average gap to retrain (points)").build();
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setMarkerSize(9);
        SeedSummary summary = new SeedSummary(rows);
        for (String method : summary.methods()) {
            List<BenchRow> group = summary.of(scenario, method).stream().filter(r -> r.wallRatio() > 0).toList();
            if (group.isEmpty() || method.startsWith("Original") || method.equals(SeedSummary.RETRAIN)) {
                continue;
            }
            chart.addSeries(method, group.stream().map(BenchRow::wallRatio).toList(),
                    group.stream().map(BenchRow::avgGap).toList());
        }
        if (!chart.getSeriesMap().isEmpty()) {
            BitmapEncoder.saveBitmap(chart, dir.resolve(suite + "-frontier-" + scenario.substring(0, 1)).toString(),
                    BitmapEncoder.BitmapFormat.PNG);
        }
    }

    private static String pct(Double v) {
        return v == null ? "–" : String.format("%.1f%%", 100 * v);
    }

    private static String num(Double v) {
        return v == null ? "–" : String.format("%.3f", v);
    }
}
