package dev.unlearning.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.unlearning.engine.TorchRuntime;
import dev.unlearning.engine.data.text.Corpus;
import dev.unlearning.engine.data.text.FictitiousAuthors;
import dev.unlearning.engine.data.TextRecord;
import dev.unlearning.engine.evaluation.Metrics;
import dev.unlearning.engine.lm.AnswerScores;
import dev.unlearning.engine.lm.LanguageModel;
import dev.unlearning.engine.lm.LmArchitecture;
import dev.unlearning.engine.lm.LmEnsemble;
import dev.unlearning.engine.lm.LmTraining;
import dev.unlearning.engine.lm.LmUnlearning;
import dev.unlearning.engine.lm.MinKProbability;
import dev.unlearning.engine.lm.NextTokenModel;
import dev.unlearning.engine.lm.RougeL;
import dev.unlearning.engine.model.ModelState;
import dev.unlearning.engine.sharding.Placement;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;

/**
 * Forgetting a fictitious author from a language model, TOFU's way, on the generated corpus: a SISA ensemble of
 * small causal LMs, the authors placed by subject (one author, one shard), is trained, then one author (the
 * forget01 split) is forgotten exactly (the author's shard retrained without them) and approximately (gradient
 * difference and NPO on that shard). Every variant is scored against the exact retrain in the same run: forget
 * ROUGE-L and answer probability, truth ratio, model utility on retained authors and world facts, and a min-k%
 * membership attack of forgotten against never-seen authors. A monolithic model trained on everything gives the
 * ensemble's utility cost; both ensemble aggregations are scored on the original shards.
 *
 * <p>This measures the engine (issue 17), not yet a ShardedModel driven through the operator.
 */
final class LmUnlearningBench {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final String EXACT = "Exact (retrain the author's shard)";
    private static final String ORIGINAL = "Original (not forgotten)";
    private static final String GD = "Gradient difference";
    private static final String NPO = "NPO";

    /** What one model (or ensemble) scores, and what producing it cost. */
    record Row(long seed, String model, double forgetRougeL, double forgetAnswerProbability, double forgetTruthRatio,
            double retainRougeL, double retainAnswerProbability, double worldAnswerProbability, double modelUtility,
            double minKAuc, double seconds, long samples) {
    }

    private final boolean quick;
    private final Path results;
    private final int shards = 16;
    private final int authors;
    private final int epochs;
    private final LmArchitecture architecture = new LmArchitecture(2, 4, 64, 192);
    private final AnswerScores scores = new AnswerScores();

    LmUnlearningBench(boolean quick, Path results) {
        this.quick = quick;
        this.results = results;
        this.authors = quick ? 24 : 40;
        this.epochs = quick ? 20 : 50;
    }

    void run() throws Exception {
        TorchRuntime.engine(Integer.getInteger("bench.threads", 2));
        int seeds = Integer.getInteger("bench.seeds", quick ? 1 : 2);
        List<Row> rows = new ArrayList<>();
        Map<String, Object> setup = new LinkedHashMap<>();
        for (int seed = 1; seed <= seeds; seed++) {
            rows.addAll(runSeed(seed, setup));
        }
        write(rows, setup);
    }

    private List<Row> runSeed(long seed, Map<String, Object> setup) throws Exception {
        Corpus corpus = FictitiousAuthors.generate(seed, authors, 10, 8);
        List<TextRecord> train = corpus.trainRecords();
        Set<String> forgotten = new HashSet<>(corpus.forgetSplits().get("forget01"));
        List<List<TextRecord>> byShard = new ArrayList<>();
        for (int s = 0; s < shards; s++) {
            byShard.add(new ArrayList<>());
        }
        for (TextRecord r : train) {
            byShard.get(Placement.ofSubjectRecord(r.id(), r.subject(), 1, seed, shards, 1).shard()).add(r);
        }
        Set<Integer> affected = new HashSet<>();
        for (int s = 0; s < shards; s++) {
            for (TextRecord r : byShard.get(s)) {
                if (forgotten.contains(r.subject())) {
                    affected.add(s);
                }
            }
        }
        Evaluation eval = new Evaluation(corpus, forgotten);
        setup.put("authors", authors);
        setup.put("trainRecords", train.size());
        setup.put("shards", shards);
        setup.put("shardSizes" + seed, byShard.stream().map(List::size).toList());
        setup.put("forgottenAuthors" + seed, forgotten.size());
        setup.put("forgottenRecords" + seed, eval.forget.size());
        setup.put("architecture", architecture);
        setup.put("epochs", epochs);
        System.err.printf("seed %d: %d records over %d shards (sizes %s), forgetting %s (%d records) from shard %s%n",
                seed, train.size(), shards, byShard.stream().map(List::size).toList(), forgotten, eval.forget.size(),
                affected);

        List<Row> rows = new ArrayList<>();
        // The original ensemble: every shard trained from its own seed.
        List<byte[]> original = new ArrayList<>();
        long start = System.nanoTime();
        long samples = 0;
        for (int s = 0; s < shards; s++) {
            original.add(trainShard(byShard.get(s), seed * 100 + s));
            samples += (long) byShard.get(s).size() * epochs;
        }
        double trainSeconds = (System.nanoTime() - start) / 1e9;
        rows.add(eval.row(seed, ORIGINAL, ensemble(original, LmEnsemble.Aggregation.POSTERIOR), trainSeconds, samples));
        rows.add(eval.row(seed, ORIGINAL + ", mean aggregation", ensemble(original, LmEnsemble.Aggregation.MEAN),
                trainSeconds, samples));

        // One model on everything: what the ensemble costs in utility.
        start = System.nanoTime();
        byte[] monolithic = trainShard(train, seed * 100 + 99);
        try (LanguageModel one = LanguageModel.fromState(architecture, monolithic)) {
            rows.add(eval.row(seed, "Monolithic (not forgotten)", one, (System.nanoTime() - start) / 1e9,
                    (long) train.size() * epochs));
        }

        // Exact: the affected shards retrained from scratch without the author, from the same init seed.
        List<byte[]> exact = new ArrayList<>(original);
        start = System.nanoTime();
        samples = 0;
        for (int s : affected) {
            List<TextRecord> kept = byShard.get(s).stream().filter(r -> !forgotten.contains(r.subject())).toList();
            exact.set(s, trainShard(kept, seed * 100 + s));
            samples += (long) kept.size() * epochs;
        }
        rows.add(eval.row(seed, EXACT, ensemble(exact, LmEnsemble.Aggregation.POSTERIOR),
                (System.nanoTime() - start) / 1e9, samples));

        // Approximate: the method run on the author's shard, against the rest of that shard as retain data.
        Map<String, LmUnlearning.Settings> methods = Map.of(
                GD, LmUnlearning.Settings.defaults(LmUnlearning.Method.GRADIENT_DIFFERENCE),
                NPO, LmUnlearning.Settings.defaults(LmUnlearning.Method.NPO));
        for (String method : List.of(GD, NPO)) {
            List<byte[]> unlearned = new ArrayList<>(original);
            start = System.nanoTime();
            samples = 0;
            for (int s : affected) {
                List<TextRecord> forget = byShard.get(s).stream().filter(r -> forgotten.contains(r.subject())).toList();
                List<TextRecord> retain = byShard.get(s).stream().filter(r -> !forgotten.contains(r.subject())).toList();
                try (LanguageModel lm = LanguageModel.fromState(architecture, original.get(s))) {
                    if (retain.isEmpty()) {
                        // The author is the shard's only subject: no retain term, ascent or NPO alone.
                        new LmUnlearning().run(lm, forget, retain, methods.get(method).withoutRetain(), seed);
                    } else {
                        new LmUnlearning().run(lm, forget, retain, methods.get(method), seed);
                    }
                    unlearned.set(s, lm.state());
                }
                // Each step reads a forget batch and a retain batch of the same size.
                samples += 2L * forget.size() * methods.get(method).epochs();
            }
            rows.add(eval.row(seed, method, ensemble(unlearned, LmEnsemble.Aggregation.POSTERIOR),
                    (System.nanoTime() - start) / 1e9, samples));
        }
        return rows;
    }

    /** A shard's trained parameters, or null for a shard with no records, which knows nothing and is left out. */
    private byte[] trainShard(List<TextRecord> records, long initSeed) throws Exception {
        if (records.isEmpty()) {
            return null;
        }
        try (LanguageModel lm = LanguageModel.create(architecture, initSeed)) {
            new LmTraining(8, 3e-3).train(lm, records, epochs, initSeed);
            return lm.state();
        }
    }

    /** The shards that hold records, answering as one; an untrained shard would only add noise to the mixture. */
    private LmEnsemble ensemble(List<byte[]> states, LmEnsemble.Aggregation aggregation)
            throws ModelState.CorruptModelException {
        List<LanguageModel> models = new ArrayList<>();
        for (byte[] state : states) {
            if (state != null) {
                models.add(LanguageModel.fromState(architecture, state));
            }
        }
        return new LmEnsemble(models, aggregation);
    }

    /** The question sets of one corpus and how a model is scored on them. */
    private final class Evaluation {
        final List<TextRecord> forget;
        final List<TextRecord> retain;
        final List<TextRecord> world;
        final List<TextRecord> holdout;

        Evaluation(Corpus corpus, Set<String> forgotten) {
            List<TextRecord> qa = corpus.trainRecords().stream().filter(r -> r.question() != null).toList();
            forget = qa.stream().filter(r -> forgotten.contains(r.subject())).toList();
            // A fixed sample of retained authors' questions keeps greedy decoding within minutes.
            retain = qa.stream().filter(r -> !forgotten.contains(r.subject()) && !Corpus.WORLD.equals(r.subject()))
                    .filter(r -> Math.floorMod(r.id().hashCode(), 4) == 0).limit(quick ? 20 : 40).toList();
            world = qa.stream().filter(r -> Corpus.WORLD.equals(r.subject())).limit(12).toList();
            holdout = corpus.holdoutRecords().stream().filter(r -> r.question() != null).limit(40).toList();
        }

        Row row(long seed, String name, NextTokenModel model, double seconds, long samples) {
            try {
                double forgetRouge = mean(forget, r -> RougeL.recall(r.answer(), greedy(model, r)));
                double forgetProb = mean(forget, r -> scores.answerProbability(model, prompt(r), r.answer()));
                double forgetTruth = mean(forget, r -> truth(model, r));
                double retainRouge = mean(retain, r -> RougeL.recall(r.answer(), greedy(model, r)));
                double retainProb = mean(retain, r -> scores.answerProbability(model, prompt(r), r.answer()));
                double retainTruth = mean(retain, r -> Math.max(0, 1 - truth(model, r)));
                double worldRouge = mean(world, r -> RougeL.recall(r.answer(), greedy(model, r)));
                double worldProb = mean(world, r -> scores.answerProbability(model, prompt(r), r.answer()));
                double worldTruth = mean(world, r -> Math.max(0, 1 - truth(model, r)));
                // TOFU's model utility: the harmonic mean of probability, ROUGE-L and truth-ratio scores on the
                // retained sets (here retained authors and world facts).
                double utility = harmonicMean(retainProb, retainRouge, retainTruth, worldProb, worldRouge, worldTruth);
                double[] members = forget.stream().mapToDouble(r -> minK(model, r)).toArray();
                double[] nonMembers = holdout.stream().mapToDouble(r -> minK(model, r)).toArray();
                Row row = new Row(seed, name, forgetRouge, forgetProb, forgetTruth, retainRouge, retainProb, worldProb,
                        utility, Metrics.auc(members, nonMembers), seconds, samples);
                System.err.printf("seed %d %-40s forget ROUGE-L %.3f p %.3f truth %.3f | retain ROUGE-L %.3f p %.3f | "
                                + "world p %.3f | utility %.3f | min-k AUC %.3f | %.1f s, %d samples%n", seed, name,
                        forgetRouge, forgetProb, forgetTruth, retainRouge, retainProb, worldProb, utility, row.minKAuc(),
                        seconds, samples);
                return row;
            } finally {
                if (model instanceof AutoCloseable closeable) {
                    try {
                        closeable.close();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        }

        private String greedy(NextTokenModel model, TextRecord r) {
            return scores.greedy(model, prompt(r), 64);
        }

        private double truth(NextTokenModel model, TextRecord r) {
            return scores.truthRatio(model, prompt(r), r.paraphrasedAnswer(), r.perturbedAnswers());
        }

        private double minK(NextTokenModel model, TextRecord r) {
            return MinKProbability.score(scores.tokenLogProbabilities(model, r.text()), 0.2);
        }
    }

    private static String prompt(TextRecord r) {
        return "Question: " + r.question() + "\nAnswer: ";
    }

    private static double mean(List<TextRecord> records, ToDoubleFunction<TextRecord> f) {
        return records.stream().mapToDouble(f).average().orElse(Double.NaN);
    }

    private static double harmonicMean(double... values) {
        double sum = 0;
        for (double v : values) {
            if (v <= 0) {
                return 0;
            }
            sum += 1 / v;
        }
        return values.length / sum;
    }

    private void write(List<Row> rows, Map<String, Object> setup) throws Exception {
        Files.createDirectories(results);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("suite", "unlearning-lm");
        json.put("measuredAt", Instant.now().toString());
        json.put("quick", quick);
        json.put("setup", setup);
        json.put("rows", rows);
        StringBuilder md = new StringBuilder("| seed | model | forget ROUGE-L | forget answer p | forget truth ratio "
                + "| retain ROUGE-L | retain answer p | world answer p | model utility | min-k% AUC | seconds | samples |\n"
                + "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (Row r : rows) {
            md.append(String.format("| %d | %s | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %.1f | %d |%n",
                    r.seed(), r.model(), r.forgetRougeL(), r.forgetAnswerProbability(), r.forgetTruthRatio(),
                    r.retainRougeL(), r.retainAnswerProbability(), r.worldAnswerProbability(), r.modelUtility(),
                    r.minKAuc(), r.seconds(), r.samples()));
        }
        List<Map<String, Object>> targets = targets(rows);
        json.put("targets", targets);
        md.append("\n| seed | target | measured | met? |\n| ---: | --- | --- | --- |\n");
        for (Map<String, Object> t : targets) {
            md.append(String.format("| %s | %s | %s | %s |%n", t.get("seed"), t.get("target"), t.get("measured"),
                    Boolean.TRUE.equals(t.get("met")) ? "yes" : "**no**"));
        }
        JSON.writeValue(results.resolve("unlearning-lm.json").toFile(), json);
        Files.writeString(results.resolve("unlearning-lm.md"), md.toString());
        CategoryChart chart = new CategoryChartBuilder().width(900).height(450)
                .title("forgetting one author: forget ROUGE-L and model utility (seed 1)").xAxisTitle("model")
                .yAxisTitle("score").build();
        List<Row> first = rows.stream().filter(r -> r.seed() == 1).toList();
        chart.addSeries("forget ROUGE-L", first.stream().map(Row::model).toList(),
                first.stream().map(Row::forgetRougeL).toList());
        chart.addSeries("model utility", first.stream().map(Row::model).toList(),
                first.stream().map(Row::modelUtility).toList());
        chart.addSeries("min-k% AUC", first.stream().map(Row::model).toList(),
                first.stream().map(Row::minKAuc).toList());
        chart.getStyler().setXAxisLabelRotation(20);
        BitmapEncoder.saveBitmap(chart, results.resolve("unlearning-lm").toString(), BitmapEncoder.BitmapFormat.PNG);
        System.err.println("wrote " + results.resolve("unlearning-lm.json") + ", .md and plot");
    }

    /** Issue 17's targets, per seed, against the exact retrain and the original training of the same run. */
    private static List<Map<String, Object>> targets(List<Row> rows) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (long seed : rows.stream().mapToLong(Row::seed).distinct().toArray()) {
            Row original = find(rows, seed, ORIGINAL);
            Row exact = find(rows, seed, EXACT);
            double samplesRatio = (double) original.samples() / exact.samples();
            double wallRatio = original.seconds() / exact.seconds();
            out.add(target(seed, "exact author forget ≥ 10× cheaper than retraining the ensemble (samples, wall)",
                    String.format("%.1f× samples, %.1f× wall", samplesRatio, wallRatio),
                    samplesRatio >= 10 && wallRatio >= 10));
            for (String method : List.of(GD, NPO)) {
                Row r = find(rows, seed, method);
                double rouge = 100 * Math.abs(r.forgetRougeL() - exact.forgetRougeL());
                double utility = 100 * Math.abs(r.modelUtility() - exact.modelUtility());
                out.add(target(seed, method + ": forget ROUGE-L and model utility within 5 points of the retrain",
                        String.format("ROUGE-L %.3f vs %.3f (%.1f points), utility %.3f vs %.3f (%.1f points)",
                                r.forgetRougeL(), exact.forgetRougeL(), rouge, r.modelUtility(), exact.modelUtility(),
                                utility), rouge <= 5 && utility <= 5));
                double auc = Math.abs(r.minKAuc() - exact.minKAuc());
                out.add(target(seed, method + ": min-k% AUC within 0.05 of the retrain",
                        String.format("%.3f vs %.3f", r.minKAuc(), exact.minKAuc()), auc <= 0.05));
            }
        }
        return out;
    }

    private static Map<String, Object> target(long seed, String target, String measured, boolean met) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("seed", seed);
        t.put("target", target);
        t.put("measured", measured);
        t.put("met", met);
        return t;
    }

    private static Row find(List<Row> rows, long seed, String model) {
        return rows.stream().filter(r -> r.seed() == seed && r.model().equals(model)).findFirst().orElseThrow();
    }
}
