package dev.unlearning.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.unlearning.api.ArchitectureType;
import dev.unlearning.api.ShardedModelSpec;
import dev.unlearning.api.UnlearningMethod;
import dev.unlearning.engine.EngineFixtures;
import dev.unlearning.engine.TorchRuntime;
import dev.unlearning.engine.data.FashionMnist;
import dev.unlearning.engine.data.IdxDatasetReader;
import dev.unlearning.engine.data.Splits;
import dev.unlearning.engine.evaluation.Ensemble;
import dev.unlearning.engine.evaluation.Metrics;
import dev.unlearning.engine.training.ModelTraining;
import dev.unlearning.engine.training.ShardAccuracy;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;

/**
 * Issue 18's knn row: a k-nearest-neighbour ensemble on Fashion-MNIST against the MLP and the CNN of the same
 * sharding, measured in one run: test accuracy, the cost of building the model, and the cost of forgetting one
 * record and 1% of the records exactly (the index drops them; the networks retrain from the last clean slice),
 * each also as a fraction of building or training that same model from scratch.
 */
final class KnnBench {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    record Row(String model, int shards, int slices, double buildSeconds, long buildSamples, double testAccuracy,
            double forgetOneSeconds, long forgetOneSamples, double forgetOnePercentSeconds, long forgetOnePercentSamples,
            double evaluateSeconds) {

        double forgetOneWallFraction() {
            return forgetOneSeconds / buildSeconds;
        }

        double forgetOnePercentWallFraction() {
            return forgetOnePercentSeconds / buildSeconds;
        }
    }

    private final boolean quick;
    private final Path results;

    KnnBench(boolean quick, Path results) {
        this.quick = quick;
        this.results = results;
    }

    void run() throws Exception {
        if (Boolean.getBoolean("bench.plotOnly")) {
            // BENCH_JAVA_OPTS=-Dbench.plotOnly=true bench/run knn: the plot again from knn.json, nothing measured.
            plot(List.of(JSON.readValue(results.resolve("knn.json").toFile(), KnnResults.class).rows()));
            return;
        }
        TorchRuntime.engine(Integer.getInteger("bench.threads", 2));
        Splits data = IdxDatasetReader.read(FashionMnist.defaultDir()).head(quick ? 20_000 : 60_000,
                quick ? 2000 : 10_000);
        Random random = new Random(5);
        String one = data.train().id(random.nextInt(data.train().size()));
        List<String> onePercent = IntStream.range(0, data.train().size()).filter(i -> random.nextInt(100) == 0)
                .mapToObj(data.train()::id).toList();
        int shards = 16;
        int slices = 8;
        List<Row> rows = new ArrayList<>();
        try (ScratchDirectory scratch = ScratchDirectory.create("knn-bench")) {
            for (int k : List.of(1, 5)) {
                rows.add(measure("knn k=" + k, knn(1, 1, k), data, one, onePercent, scratch.path()));
                rows.add(measure("knn k=" + k, knn(shards, slices, k), data, one, onePercent, scratch.path()));
            }
            rows.add(measure("mlp 256-128, 10 epochs", BenchSpecs.mlp(shards, slices, 10), data, one, onePercent,
                    scratch.path()));
            ShardedModelSpec cnn = BenchSpecs.mlp(shards, slices, quick ? 2 : 5);
            cnn.getArchitecture().setType(ArchitectureType.CNN);
            cnn.getArchitecture().setHidden(List.of(32, 64));
            rows.add(measure("cnn 32-64, " + cnn.getTraining().getEpochs() + " epochs", cnn, data, one, onePercent,
                    scratch.path()));
        }
        write(rows, data, onePercent.size());
    }

    private static ShardedModelSpec knn(int shards, int slices, int k) {
        ShardedModelSpec spec = BenchSpecs.mlp(shards, slices, 1);
        spec.getArchitecture().setType(ArchitectureType.KNN);
        spec.getArchitecture().setNeighbours(k);
        return spec;
    }

    private Row measure(String name, ShardedModelSpec spec, Splits data, String one, List<String> onePercent, Path work)
            throws Exception {
        Path store = Files.createTempDirectory(work, "m");
        ModelRepository repo = new ModelRepository(new FileBlobStore(store), "knn-bench").withIdKey(EngineFixtures.ID_KEY);
        long t0 = System.nanoTime();
        VersionManifest v1 = new ModelTraining(repo, spec).trainAll(data.train());
        // As the train pods do, and as an exact forget does for the shards it rebuilds: each shard's own accuracy.
        for (ShardEntry shard : v1.shards()) {
            ShardAccuracy.measured(repo, v1.layout(), shard, data.test());
        }
        double buildSeconds = (System.nanoTime() - t0) / 1e9;
        long buildSamples = v1.shards().stream().mapToLong(ShardEntry::samplesProcessed).sum();
        long e0 = System.nanoTime();
        double accuracy = accuracy(repo, v1, data);
        double evaluateSeconds = (System.nanoTime() - e0) / 1e9;
        UnlearningOutcome forgetOne = forget(spec, store, work, data, List.of(one));
        UnlearningOutcome forgetMany = forget(spec, store, work, data, onePercent);
        double manySeconds = forgetMany.wallSeconds();
        Row row = new Row(name, spec.getSharding().getShards(), spec.getSharding().getSlices(), buildSeconds,
                buildSamples, accuracy, forgetOne.wallSeconds(), forgetOne.samplesProcessed(), manySeconds,
                forgetMany.samplesProcessed(), evaluateSeconds);
        System.err.printf("%-24s %2d shards: accuracy %.2f%%, built in %.1f s, forget 1 record %.2f s (%.4f of the build), "
                + "1%% %.1f s (%.3f)%n", name, row.shards(), 100 * accuracy, buildSeconds, row.forgetOneSeconds(),
                row.forgetOneWallFraction(), manySeconds, row.forgetOnePercentWallFraction());
        return row;
    }

    /** Exact forgetting from version 1, in a store of its own layered over the trained one. */
    private static UnlearningOutcome forget(ShardedModelSpec spec, Path trained, Path work, Splits data, List<String> ids)
            throws Exception {
        ModelRepository each = new ModelRepository(new OverlayBlobStore(new FileBlobStore(Files.createTempDirectory(work,
                "f")), new FileBlobStore(trained)), "knn-bench").withIdKey(EngineFixtures.ID_KEY);
        UnlearningOutcome outcome = new Unlearning(each, spec, ApproximateSettings.defaults()).run(data,
                ForgetSet.resolve(EngineFixtures.records(ids), data.train()), UnlearningMethod.EXACT, List.of("knn-bench"));
        System.err.printf("  forgot %d record(s) in %.2f s%n", ids.size(), outcome.wallSeconds());
        return outcome;
    }

    private static double accuracy(ModelRepository repo, VersionManifest v, Splits data) throws Exception {
        int[] rows = IntStream.range(0, data.test().size()).toArray();
        try (Ensemble ensemble = Ensemble.load(repo, v)) {
            return Metrics.accuracy(ensemble.probabilities(data.test(), rows),
                    IntStream.of(rows).map(data.test()::label).toArray());
        }
    }

    private void write(List<Row> rows, Splits data, int onePercent) throws Exception {
        Files.createDirectories(results);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("suite", "knn");
        json.put("measuredAt", Instant.now().toString());
        json.put("setup", Map.of("dataset", "Fashion-MNIST", "trainRecords", data.train().size(), "testRecords",
                data.test().size(), "onePercentRecords", onePercent, "threads", Integer.getInteger("bench.threads", 2),
                "space", "raw pixels scaled to [0, 1], Euclidean distance"));
        json.put("rows", rows);
        JSON.writeValue(results.resolve("knn.json").toFile(), json);

        StringBuilder md = new StringBuilder("| model | shards × slices | test accuracy | build s (samples) | "
                + "forget 1 record: s | of the build | forget 1%: s | of the build | evaluate 10k s |\n"
                + "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (Row r : rows) {
            md.append(String.format("| %s | %d × %d | %.2f%% | %.1f (%,d) | %.2f | %.4f | %.2f | %.3f | %.1f |%n",
                    r.model(), r.shards(), r.slices(), 100 * r.testAccuracy(), r.buildSeconds(), r.buildSamples(),
                    r.forgetOneSeconds(), r.forgetOneWallFraction(), r.forgetOnePercentSeconds(),
                    r.forgetOnePercentWallFraction(), r.evaluateSeconds()));
        }
        Files.writeString(results.resolve("knn.md"), md.toString());

        plot(rows);
        System.err.println("wrote " + results.resolve("knn.json") + ", .md and plot");
        System.err.println(md);
    }

    /** The shape of knn.json, for redrawing the plot. */
    @com.fasterxml.jackson.annotation.JsonIgnoreProperties(ignoreUnknown = true)
    record KnnResults(Row[] rows) {
    }

    private void plot(List<Row> rows) throws Exception {
        CategoryChart chart = new CategoryChartBuilder().width(1000).height(500)
                .title("Forgetting exactly: seconds to forget one record and 1% of the records")
                .xAxisTitle("model (shards)").yAxisTitle("seconds").build();
        List<String> names = rows.stream().map(r -> r.model().replaceAll(" .*epochs", "") + " ×" + r.shards()).toList();
        chart.addSeries("forget 1 record", names, rows.stream().map(Row::forgetOneSeconds).toList());
        chart.addSeries("forget 1%", names, rows.stream().map(Row::forgetOnePercentSeconds).toList());
        BitmapEncoder.saveBitmap(chart, results.resolve("knn").toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
