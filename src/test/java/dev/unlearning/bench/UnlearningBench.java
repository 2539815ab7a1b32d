package dev.unlearning.bench;

import dev.unlearning.engine.EngineFixtures;
import dev.unlearning.api.GateDefaults;
import dev.unlearning.api.ForgetSelector;
import dev.unlearning.api.ShardPlacement;
import dev.unlearning.api.ShardedModelSpec;
import dev.unlearning.api.UnlearningMethod;
import dev.unlearning.engine.TorchRuntime;
import dev.unlearning.engine.data.Dataset;
import dev.unlearning.engine.data.FashionMnist;
import dev.unlearning.engine.data.IdxDatasetReader;
import dev.unlearning.engine.data.Splits;
import dev.unlearning.engine.evaluation.Backdoor;
import dev.unlearning.engine.evaluation.Ensemble;
import dev.unlearning.engine.evaluation.EvaluationReport;
import dev.unlearning.engine.evaluation.Evaluator;
import dev.unlearning.engine.evaluation.Metrics;
import dev.unlearning.engine.verification.Gate;
import dev.unlearning.engine.verification.GateMeasurements;
import dev.unlearning.operator.planning.Gates;
import dev.unlearning.api.VerificationSpec;
import dev.unlearning.api.worker.GateFailure;
import dev.unlearning.api.worker.Measurements;
import dev.unlearning.api.Metric;
import dev.unlearning.engine.training.ModelTraining;
import dev.unlearning.engine.unlearning.ApproximateSettings;
import dev.unlearning.engine.unlearning.ForgetSet;
import dev.unlearning.engine.unlearning.Unlearning;
import dev.unlearning.engine.unlearning.UnlearningOutcome;
import dev.unlearning.store.FileBlobStore;
import dev.unlearning.store.ModelRepository;
import dev.unlearning.store.ShardEntry;
import dev.unlearning.store.VersionManifest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;
import java.util.Arrays;

/**
 * Fashion-MNIST unlearning scenarios: each method's cost relative to retraining the whole ensemble from
 * scratch without the forget set (measured in the same run), and its quality gap to that retrained model.
 */
final class UnlearningBench {

    private final boolean quick;
    private final Path results;
    private final int trainRecords;
    private final int shards;
    private final int slices;
    private final int epochs;
    private final int seeds;
    /** Where rows are scored: the test split, or (for tuning) the validation split the methods also see. */
    private final boolean onValidation = "validation".equals(System.getProperty("bench.evaluateOn"));
    private Dataset validation;
    private final List<BenchRow> rows = new ArrayList<>();
    private final Map<String, Object> setup = new LinkedHashMap<>();
    /** Per scenario: the trained model's smallest, mean and largest shard, in records. */
    private final Map<String, Map<String, Object>> balance = new LinkedHashMap<>();
    /** Per subject scenario: exact forgets of several other subjects, their wall and samples ratios. */
    private final Map<String, Map<String, Object>> subjectSweeps = new LinkedHashMap<>();
    /** Per single-record scenario: exact forgets of several other records, each alone, their ratios. */
    private final Map<String, Map<String, Object>> recordSweeps = new LinkedHashMap<>();

    UnlearningBench(boolean quick, Path results) {
        this.quick = quick;
        this.results = results;
        // The last 10,000 training images (4,000 quick) are a validation split: SCRUB+R's look-alikes and
        // floors, and tuning runs (-Dbench.evaluateOn=validation), read it; the test split is only scored.
        this.trainRecords = quick ? 16_000 : 50_000;
        this.seeds = Integer.getInteger("bench.seeds", quick ? 1 : 3);
        this.shards = Integer.getInteger("bench.shards", quick ? 8 : 16);
        this.slices = Integer.getInteger("bench.slices", 8);
        this.epochs = Integer.getInteger("bench.epochs", quick ? 3 : 5);
    }

    void run() throws Exception {
        TorchRuntime.engine(Integer.getInteger("bench.threads", 2));
        Splits full = IdxDatasetReader.read(FashionMnist.defaultDir());
        Splits data = full.head(trainRecords, quick ? 5000 : 10_000);
        validation = Holdout.rows(full.train(), trainRecords, trainRecords + (quick ? 4000 : 10_000));
        Random random = new Random(99);
        int onePercent = data.train().size() / 100;
        setup.putAll(Map.of("dataset", "Fashion-MNIST", "trainRecords", data.train().size(),
                "testRecords", data.test().size(), "shards", shards, "slices", slices, "epochs", epochs,
                "architecture", "mlp 784-256-128-10", "threads", Integer.getInteger("bench.threads", 2),
                "approximate", ApproximateSettings.fromSystemProperties().toString()));
        setup.putAll(Map.of("validationRecords", validation.size(), "seeds", seeds,
                "scoredOn", onValidation ? "validation" : "test"));

        try (ScratchDirectory scratch = ScratchDirectory.create("unlearning-bench")) {
            Path work = scratch.path();
            if (wanted("a")) {
                scenario("a: 1 random record", data, Forget.records(randomIds(data.train(), 1, random)), null, work);
            }
            if (wanted("b")) {
                scenario("b: 100 random records", data, Forget.records(randomIds(data.train(), 100, random)), null, work);
            }
            if (wanted("c")) {
                scenario("c: 1% random", data, Forget.records(randomIds(data.train(), onePercent, random)), null, work);
            }
            if (wanted("d")) {
                int[] canaryRows = randomRows(data.train(), onePercent, random, 0);
                Backdoor backdoor = new Backdoor(0, 4);
                Splits poisoned = data.withTrain(backdoor.poison(data.train(), canaryRows));
                scenario("d: backdoor canaries (1%)", poisoned, Forget.records(ids(data.train(), canaryRows)), backdoor, work);
            }
            if (wanted("e")) {
                scenario("e: whole class (trouser)", data, Forget.classes(Set.of(1)), null, work);
            }
            if (wanted("f") || wanted("g")) {
                // Made-up data subjects of about 30 records each, rows assigned at random (as people's records are);
                // the subject forgotten is whoever owns row 0.
                Splits people = data.withTrain(data.train().withSubjects(subjects(data.train(), 30)));
                String subject = people.train().subject(0);
                if (wanted("f")) {
                    scenario("f: 1 subject, placed by record", people, Forget.subject(subject, ShardPlacement.BY_RECORD), null, work);
                }
                if (wanted("g")) {
                    scenario("g: 1 subject, placed by subject", people, Forget.subject(subject, ShardPlacement.BY_SUBJECT), null, work);
                }
            }

            setup.put("shardSizes", balance);
            setup.put("exactSubjectSweeps", subjectSweeps);
            setup.put("exactRecordSweeps", recordSweeps);
            new BenchReport(results, "unlearning", setup, rows).write();
        }
    }

    /** What a scenario forgets, and how its model places records. */
    record Forget(ForgetSelector selector, Set<Integer> labels, ShardPlacement placement) {
        static Forget records(List<String> ids) {
            ForgetSelector selector = new ForgetSelector();
            selector.setRecordIds(ids);
            return new Forget(selector, null, ShardPlacement.AUTO);
        }

        static Forget classes(Set<Integer> labels) {
            ForgetSelector selector = new ForgetSelector();
            selector.setLabels(List.copyOf(labels));
            return new Forget(selector, labels, ShardPlacement.AUTO);
        }

        static Forget subject(String subject, ShardPlacement placement) {
            ForgetSelector selector = new ForgetSelector();
            selector.setSubjects(List.of(subject));
            return new Forget(selector, null, placement);
        }
    }

    /** Settings to compare (tuning): -Dbench.variants="lr02:learningRate=0.02;a5:ssdAlpha=5,ssdLambda=1". */
    record Variant(String name, ApproximateSettings settings) {
    }

    private static List<Variant> variants() {
        ApproximateSettings base = ApproximateSettings.fromSystemProperties();
        String spec = System.getProperty("bench.variants", "");
        if (spec.isBlank()) {
            return List.of(new Variant("", base));
        }
        List<Variant> out = new ArrayList<>();
        for (String one : spec.split(";")) {
            String[] nameAndPairs = one.split(":", 2);
            Map<String, String> overrides = new LinkedHashMap<>();
            if (nameAndPairs.length > 1 && !nameAndPairs[1].isBlank()) {
                for (String pair : nameAndPairs[1].split(",")) {
                    String[] kv = pair.split("=", 2);
                    if (!ApproximateSettings.names().contains(kv[0].trim())) {
                        throw new IllegalArgumentException("unknown setting " + kv[0] + " (known: " + ApproximateSettings.names() + ")");
                    }
                    overrides.put(kv[0].trim(), kv[1].trim());
                }
            }
            out.add(new Variant(nameAndPairs[0].trim(), base.with(overrides::get)));
        }
        return out;
    }

    /** The methods compared (-Dbench.methods=SCRUB,SSD to tune some); Exact always runs once. */
    private static List<UnlearningMethod> methods() {
        String only = System.getProperty("bench.methods", "");
        List<UnlearningMethod> all = List.of(UnlearningMethod.EXACT, UnlearningMethod.SCRUB,
                UnlearningMethod.NEG_GRAD_PLUS, UnlearningMethod.FINE_TUNE, UnlearningMethod.SSD, UnlearningMethod.SALUN);
        return only.isBlank() ? all : all.stream().filter(m -> m == UnlearningMethod.EXACT
                || Arrays.stream(only.split(",")).anyMatch(o -> o.trim().equalsIgnoreCase(m.name()))).toList();
    }

    private boolean wanted(String scenario) {
        String only = System.getProperty("bench.scenarios");
        return only == null || only.isBlank() || Arrays.asList(only.split(",")).contains(scenario);
    }

    /** One scenario from {@link #seeds} seeds: each trains the ensemble, the references and every method anew. */
    private void scenario(String name, Splits data, Forget what, Backdoor backdoor, Path work) throws Exception {
        for (int s = 0; s < seeds; s++) {
            scenario(name, data, what, backdoor, work, 42 + s, s == 0);
        }
    }

    private void scenario(String name, Splits data, Forget what, Backdoor backdoor, Path work, long seed,
            boolean first) throws Exception {
        Set<Integer> labels = what.labels();
        ShardedModelSpec spec = spec(shards, slices);
        spec.getTraining().setSeed(seed);
        spec.getSharding().setPlacement(what.placement());
        // The methods see the validation split as their held-out data; scoring uses the test split.
        Splits seen = new Splits(data.train(), validation);
        Splits scored = onValidation ? seen : data;
        Path base = Files.createTempDirectory(work, "base");
        ModelRepository baseRepo = new ModelRepository(new FileBlobStore(base), "bench").withIdKey(EngineFixtures.ID_KEY);
        VersionManifest v1 = new ModelTraining(baseRepo, spec).trainAll(data.train());
        ForgetSet forget = ForgetSet.resolve(what.selector(), data.train());
        Set<String> forgotten = forget.recordIds();
        System.err.printf("== %s (%d records, seed %d)%n", name, forgotten.size(), seed);
        if (first) {
            balance.put(name, shardSizes(v1));
        }
        int[] forgetRows = forget.rows(data.train());
        int[] retainRows = IntStream.range(0, data.train().size()).filter(r -> !forgotten.contains(data.train().id(r))).toArray();

        // References: the whole ensemble, and a single monolithic model, retrained without the forget set.
        long t0 = System.nanoTime();
        ModelRepository refRepo = new ModelRepository(new FileBlobStore(Files.createTempDirectory(work, "ref")), "bench").withIdKey(EngineFixtures.ID_KEY);
        VersionManifest reference = new ModelTraining(refRepo, spec).trainAllExcluding(data.train(), forgotten);
        double refWall = (System.nanoTime() - t0) / 1e9;
        long refSamples = samples(reference);
        EvaluationReport refReport = evaluate(refRepo, reference, scored, forgetRows, retainRows, backdoor, labels);
        EvaluationReport originalReport = evaluate(baseRepo, v1, scored, forgetRows, retainRows, backdoor, labels);
        Measurements baseMeasured = GateMeasurements.of(originalReport);
        Verdict exactly = new Verdict(baseMeasured, labels != null, backdoor != null, true);
        Verdict approximately = new Verdict(baseMeasured, labels != null, backdoor != null, false);
        add(name, "Retrain (ensemble)", seed, refWall, refSamples, refWall, refSamples, refReport, refReport, forgotten.size(),
                exactly);

        if (first && !Boolean.getBoolean("bench.skipMonolithic")) {
            // One monolithic reference per scenario: it shows what sharding costs, not how methods vary.
            t0 = System.nanoTime();
            ShardedModelSpec mono = spec(1, 1);
            mono.getTraining().setSeed(seed);
            ModelRepository monoRepo = new ModelRepository(new FileBlobStore(Files.createTempDirectory(work, "mono")), "bench").withIdKey(EngineFixtures.ID_KEY);
            VersionManifest monolithic = new ModelTraining(monoRepo, mono).trainAllExcluding(data.train(), forgotten);
            double monoWall = (System.nanoTime() - t0) / 1e9;
            add(name, "Retrain (monolithic)", seed, monoWall, samples(monolithic), refWall, refSamples,
                    evaluate(monoRepo, monolithic, scored, forgetRows, retainRows, backdoor, labels), refReport,
                    forgotten.size(), exactly);
        }
        add(name, "Original (no unlearning)", seed, 0, 0, refWall, refSamples, originalReport, refReport, forgotten.size(),
                approximately);
        for (Variant variant : variants()) {
            for (UnlearningMethod method : methods()) {
                if (method == UnlearningMethod.EXACT && !variant.name().isEmpty()) {
                    continue;
                }
                // As the operator runs them: a request with a backdoor trigger turns SCRUB+R's rewind off.
                ApproximateSettings settings = backdoor != null ? variant.settings().withoutRewind() : variant.settings();
                ModelRepository repo = new ModelRepository(
                        new OverlayBlobStore(new FileBlobStore(Files.createTempDirectory(work, "m")), new FileBlobStore(base)), "bench")
                        .withIdKey(EngineFixtures.ID_KEY);
                long started = System.nanoTime();
                UnlearningOutcome outcome = new Unlearning(repo, spec, settings).run(seen, forget, method, List.of("bench"));
                double wall = (System.nanoTime() - started) / 1e9;
                EvaluationReport report = evaluate(repo, outcome.after(), scored, forgetRows, retainRows, backdoor, labels);
                String label = label(method) + (variant.name().isEmpty() ? "" : " [" + variant.name() + "]");
                add(name, label, seed, wall, outcome.samplesProcessed(), refWall, refSamples, report, refReport,
                        forgotten.size(), method == UnlearningMethod.EXACT ? exactly : approximately);
                System.err.printf("   %-28s wall %.2fs (%.3fx) samples %d%n", label, wall, wall / refWall,
                        outcome.samplesProcessed());
            }
        }
        if (first && what.selector().getSubjects() != null) {
            subjectSweeps.put(name, sweep(data, spec, base, refWall, refSamples, work,
                    random -> data.train().subject(random.nextInt(data.train().size())), ForgetSelector::setSubjects));
        }
        if (first && what.selector().getRecordIds() != null && what.selector().getRecordIds().size() == 1) {
            recordSweeps.put(name, sweep(data, spec, base, refWall, refSamples, work,
                    random -> data.train().id(random.nextInt(data.train().size())), ForgetSelector::setRecordIds));
        }
    }

    /**
     * One subject's or record's cost depends on where it sits (which slice the retrain starts from), so the
     * exact forget of {@value #SWEEP} others, each alone from the same version, gives the mean and range that
     * one draw per seed cannot.
     */
    private Map<String, Object> sweep(Splits data, ShardedModelSpec spec, Path base, double refWall, long refSamples,
            Path work, java.util.function.Function<Random, String> draw,
            java.util.function.BiConsumer<ForgetSelector, List<String>> select) throws Exception {
        Random random = new Random(11);
        List<Double> walls = new ArrayList<>();
        List<Double> sampleRatios = new ArrayList<>();
        for (int i = 0; i < SWEEP; i++) {
            ForgetSelector selector = new ForgetSelector();
            select.accept(selector, List.of(draw.apply(random)));
            ForgetSet forget = ForgetSet.resolve(selector, data.train());
            ModelRepository repo = new ModelRepository(
                    new OverlayBlobStore(new FileBlobStore(Files.createTempDirectory(work, "s")), new FileBlobStore(base)), "bench")
                    .withIdKey(EngineFixtures.ID_KEY);
            long started = System.nanoTime();
            UnlearningOutcome outcome = new Unlearning(repo, spec, ApproximateSettings.fromSystemProperties())
                    .run(data, forget, UnlearningMethod.EXACT, List.of("bench"));
            walls.add((System.nanoTime() - started) / 1e9 / refWall);
            sampleRatios.add((double) outcome.samplesProcessed() / refSamples);
        }
        Map<String, Object> sweep = new LinkedHashMap<>();
        sweep.put("forgets", SWEEP);
        sweep.put("wallRatio", summary(walls));
        sweep.put("samplesRatio", summary(sampleRatios));
        System.err.printf("   Exact over %d forgets: wall ratio %s, samples ratio %s%n", SWEEP, summary(walls),
                summary(sampleRatios));
        return sweep;
    }

    private static final int SWEEP = 32;

    private static Map<String, Double> summary(List<Double> values) {
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("mean", round(values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN)));
        out.put("min", round(values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN)));
        out.put("max", round(values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN)));
        return out;
    }

    private static double round(double v) {
        return Math.round(v * 10000) / 10000.0;
    }

    private void add(String scenario, String method, long seed, double wall, long samples, double refWall, long refSamples,
            EvaluationReport r, EvaluationReport ref, int forgotten, Verdict verdict) {
        double gap = mean(diff(r.forget().accuracy(), ref.forget().accuracy()), diff(r.retain().accuracy(), ref.retain().accuracy()),
                diff(r.test().accuracy(), ref.test().accuracy()), diff(r.miaLossAuc(), ref.miaLossAuc()));
        Measurements m = verdict.measure(r);
        rows.add(new BenchRow(scenario, method, seed, forgotten, wall, samples, wall / refWall, (double) samples / refSamples,
                r.forget().accuracy(), r.retain().accuracy(), r.test().accuracy(), r.miaLossAuc(), r.miaLogisticAuc(),
                r.backdoorAsr(), r.forgottenClassTestAccuracy(), r.otherClassesTestAccuracy(), 100 * gap,
                m.get(Metric.FORGET_ACCURACY_GAP), m.get(Metric.FORGET_ACCURACY_GAP_NOISE), m.get(Metric.MIA_ADVANTAGE),
                m.get(Metric.MIA_ADVANTAGE_NOISE), m.get(Metric.TEST_ACCURACY_DROP), m.get(Metric.BACKDOOR_ASR_EXCESS),
                m.get(Metric.BACKDOOR_ASR_EXCESS_NOISE), verdict.decide(m)));
    }

    /**
     * What the default gate (relative thresholds, as the operator resolves them for a model that sets none)
     * decides on a candidate, against the scenario's base version, as the finalize step would.
     */
    private record Verdict(Measurements base, boolean classRequest, boolean canaries, boolean exact) {

        Measurements measure(EvaluationReport candidate) {
            return GateMeasurements.withDrop(base, GateMeasurements.of(candidate), classRequest);
        }

        String decide(Measurements candidate) {
            VerificationSpec defaultGate = Gates.merge(new VerificationSpec(), List.of(),
                    new GateDefaults.RunKind(canaries, classRequest));
            List<GateFailure> failures = Gate.failures(defaultGate, base, candidate, exact);
            return failures.isEmpty() ? "pass" : String.join(", ", failures.stream()
                    .map(f -> f.threshold().key() + (f.baseAlreadyPassed() ? " (no evidence)" : "")).toList());
        }
    }

    private static double diff(Double a, Double b) {
        return a == null || b == null ? Double.NaN : Math.abs(a - b);
    }

    private static double mean(double... values) {
        return Arrays.stream(values).filter(v -> !Double.isNaN(v)).average().orElse(Double.NaN);
    }

    private EvaluationReport evaluate(ModelRepository repo, VersionManifest v, Splits data, int[] forgetRows,
            int[] retainRows, Backdoor backdoor, Set<Integer> labels) throws Exception {
        try (Ensemble ensemble = Ensemble.load(repo, v)) {
            return new Evaluator(5).evaluate(v.version(), v.ensembleDigest(), ensemble, data, forgetRows, retainRows,
                    backdoor, labels);
        }
    }

    private static Map<String, Object> shardSizes(VersionManifest v) {
        var stats = v.shards().stream().mapToInt(ShardEntry::records).summaryStatistics();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("placement", v.layout().effectivePlacement().toString());
        out.put("min", stats.getMin());
        out.put("mean", Math.round(stats.getAverage()));
        out.put("max", stats.getMax());
        out.put("maxOverMean", Math.round(stats.getMax() / stats.getAverage() * 1000) / 1000.0);
        out.put("spreadSubjects", v.layout().spreadSubjects() == null ? 0 : v.layout().spreadSubjects().size());
        return out;
    }

    /** Each row's subject: one of size / perSubject people, drawn at random with a fixed seed. */
    private static String[] subjects(Dataset data, int perSubject) {
        Random random = new Random(7);
        int people = Math.max(1, data.size() / perSubject);
        String[] out = new String[data.size()];
        for (int row = 0; row < out.length; row++) {
            out[row] = "person-" + random.nextInt(people);
        }
        return out;
    }

    private static long samples(VersionManifest v) {
        return v.shards().stream().mapToLong(ShardEntry::samplesProcessed).sum();
    }

    private ShardedModelSpec spec(int shardCount, int sliceCount) {
        return BenchSpecs.mlp(shardCount, sliceCount, epochs);
    }

    private static String label(UnlearningMethod method) {
        return switch (method) {
            case EXACT -> "Exact (SISA)";
            case SCRUB -> "SCRUB";
            case NEG_GRAD_PLUS -> "NegGrad+";
            case FINE_TUNE -> "Fine-tune";
            case SSD -> "SSD";
            case SALUN -> "SalUn";
            case GRADIENT_DIFFERENCE -> "Gradient difference";
            case NPO -> "NPO";
            case AUTO -> "Auto";
        };
    }

    private static List<String> randomIds(Dataset data, int n, Random random) {
        return ids(data, randomRows(data, n, random, -1));
    }

    /** Distinct random rows, avoiding {@code avoidLabel} (backdoor canaries must not already be the target). */
    static int[] randomRows(Dataset data, int n, Random random, int avoidLabel) {
        TreeSet<Integer> rows = new TreeSet<>();
        while (rows.size() < n) {
            int row = random.nextInt(data.size());
            if (data.label(row) != avoidLabel) {
                rows.add(row);
            }
        }
        return rows.stream().mapToInt(Integer::intValue).toArray();
    }

    private static List<String> ids(Dataset data, int[] rows) {
        return IntStream.of(rows).mapToObj(data::id).toList();
    }
}
