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
        json.put("rows", rows);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(dir.resolve(suite + ".json").toFile(), json);
        Files.writeString(dir.resolve(suite + ".md"), markdown());
        chart("wall time relative to a full ensemble retrain", "wallRatio", false, BenchRow::wallRatio);
        chart("test accuracy", "testAcc", false, r -> r.testAcc() == null ? 0 : r.testAcc());
        chart("average gap to retrain (points)", "avgGap", false, BenchRow::avgGap);
        System.err.println("wrote " + dir.resolve(suite + ".json") + ", .md and plots");
    }

    private String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("Setup: ").append(setup).append("\n\n");
        md.append("| scenario | method | wall s | wall ratio | samples ratio | forget acc | retain acc | test acc | MIA AUC | ASR | avg gap (pts) |\n");
        md.append("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (BenchRow r : rows) {
            md.append(String.format("| %s | %s | %.2f | %.4f | %.4f | %s | %s | %s | %s | %s | %.2f |%n", r.scenario(), r.method(),
                    r.wallSeconds(), r.wallRatio(), r.samplesRatio(), pct(r.forgetAcc()), pct(r.retainAcc()),
                    pct(r.testAcc()), num(r.miaAuc()), pct(r.asr()), r.avgGap()));
        }
        md.append("\nThe default gate on each row (relative checks; ± is the chance allowance; drop in points from the "
                + "original over the kept classes):\n\n");
        md.append("| scenario | method | forget − look-alike (pts) | MIA advantage | test drop (pts) | ASR excess (pts) | default gate |\n");
        md.append("| --- | --- | ---: | ---: | ---: | ---: | --- |\n");
        for (BenchRow r : rows) {
            md.append(String.format("| %s | %s | %s | %s | %s | %s | %s |%n", r.scenario(), r.method(),
                    plusMinus(r.forgetGap(), r.forgetGapNoise(), 100, "%.1f"),
                    plusMinus(r.miaAdvantage(), r.miaAdvantageNoise(), 1, "%.3f"),
                    r.testDrop() == null ? "–" : String.format("%.1f", 100 * r.testDrop()),
                    plusMinus(r.asrExcess(), r.asrExcessNoise(), 100, "%.1f"), r.defaultGate()));
        }
        List<BenchRow> classRows = rows.stream().filter(r -> r.forgottenClassTestAcc() != null).toList();
        if (!classRows.isEmpty()) {
            md.append("\nWhole-class scenario, test accuracy on the forgotten class and on the other classes:\n\n");
            md.append("| method | forgotten class | other classes |\n| --- | ---: | ---: |\n");
            for (BenchRow r : classRows) {
                md.append(String.format("| %s | %s | %s |%n", r.method(), pct(r.forgottenClassTestAcc()), pct(r.otherClassesTestAcc())));
            }
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
                    .mapToDouble(value).map(v -> log ? Math.max(v, 1e-4) : v).findFirst().orElse(0)).toList();
            chart.addSeries(method, scenarios.stream().map(s -> s.substring(0, 1)).toList(), ys);
        }
        BitmapEncoder.saveBitmap(chart, dir.resolve(suite + "-" + file).toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    private static String pct(Double v) {
        return v == null ? "–" : String.format("%.1f%%", 100 * v);
    }

    private static String num(Double v) {
        return v == null ? "–" : String.format("%.3f", v);
    }
}
