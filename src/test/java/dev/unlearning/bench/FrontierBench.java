package dev.unlearning.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.unlearning.api.Aggregation;
import dev.unlearning.api.ShardedModelSpec;
import dev.unlearning.api.UnlearningMethod;
import dev.unlearning.engine.EngineFixtures;
import dev.unlearning.engine.TorchRuntime;
import dev.unlearning.engine.data.FashionMnist;
import dev.unlearning.engine.data.IdxDatasetReader;
import dev.unlearning.engine.data.Splits;
import dev.unlearning.engine.evaluation.Ensemble;
import dev.unlearning.engine.evaluation.Metrics;
import dev.unlearning.engine.model.Network;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * The SISA trade-off on Fashion-MNIST: ensemble test accuracy against the cost of forgetting one record
 * exactly, over shard counts and training epochs. The cost is in samples relative to training one model (one
 * shard, one slice) for the same epochs from scratch, measured in the same run; accuracy is measured with both
 * aggregations on the same trained shards.
 */
final class FrontierBench {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** One configuration: its accuracy under each aggregation and the cost of forgetting one record exactly. */
    record Point(int shards, int slices, int epochs, double trainSeconds, long trainSamples, double meanSoftmaxAcc,
            double majorityVoteAcc, double forgetSeconds, long forgetSamples, double forgetSamplesVsMonolithic,
            double forgetWallVsMonolithic) {
    }

    private final boolean quick;
    private final Path results;

    FrontierBench(boolean quick, Path results) {
        this.quick = quick;
        this.results = results;
    }

    void run() throws Exception {
        TorchRuntime.engine(Integer.getInteger("bench.threads", 2));
        Splits data = IdxDatasetReader.read(FashionMnist.defaultDir()).head(quick ? 20_000 : 60_000,
                quick ? 5000 : 10_000);
        List<Integer> shardCounts = quick ? List.of(1, 4, 16) : List.of(1, 2, 4, 8, 16);
        List<Integer> epochCounts = quick ? List.of(3) : List.of(5, 10, 20);
        // The same three records for every configuration, forgotten one at a time: the cost depends on the slice.
        Random random = new Random(5);
        List<String> records = IntStream.range(0, 3).mapToObj(i -> data.train().id(random.nextInt(data.train().size())))
                .toList();
        try (ScratchDirectory scratch = ScratchDirectory.create("frontier-bench")) {
            Path work = scratch.path();
            List<Point> points = new ArrayList<>();
            for (int epochs : epochCounts) {
                Point monolithic = null;
                for (int shards : shardCounts) {
                    Point p = measure(data, shards, shards == 1 ? 1 : 8, epochs, records, monolithic, work);
                    monolithic = monolithic == null ? p : monolithic;
                    points.add(p);
                    System.err.printf("shards %2d epochs %2d: accuracy %.2f%% (vote %.2f%%), forget one record %.3fx "
                            + "of one model's samples%n", shards, epochs, 100 * p.meanSoftmaxAcc(), 100 * p.majorityVoteAcc(),
                            p.forgetSamplesVsMonolithic());
                }
            }
            write(points, data, records.size());
        }
    }

    private Point measure(Splits data, int shards, int slices, int epochs, List<String> records, Point monolithic,
            Path work) throws Exception {
        ShardedModelSpec spec = BenchSpecs.mlp(shards, slices, epochs);
        Path store = Files.createTempDirectory(work, "s" + shards + "e" + epochs);
        ModelRepository repo = new ModelRepository(new FileBlobStore(store), "frontier").withIdKey(EngineFixtures.ID_KEY);
        long t0 = System.nanoTime();
        VersionManifest v1 = new ModelTraining(repo, spec).trainAll(data.train());
        double trainSeconds = (System.nanoTime() - t0) / 1e9;
        long trainSamples = v1.shards().stream().mapToLong(ShardEntry::samplesProcessed).sum();
        double soft = accuracy(repo, v1, data, Aggregation.MEAN_SOFTMAX);
        double vote = accuracy(repo, v1, data, Aggregation.MAJORITY_VOTE);

        double forgetSeconds = 0;
        long forgetSamples = 0;
        for (String record : records) {
            // Each record alone from version 1, in a store of its own over the trained one.
            ModelRepository each = new ModelRepository(new OverlayBlobStore(
                    new FileBlobStore(Files.createTempDirectory(work, "f")), new FileBlobStore(store)), "frontier")
                    .withIdKey(EngineFixtures.ID_KEY);
            long started = System.nanoTime();
            UnlearningOutcome outcome = new Unlearning(each, spec, ApproximateSettings.defaults()).run(data,
                    ForgetSet.resolve(EngineFixtures.records(List.of(record)), data.train()), UnlearningMethod.EXACT,
                    List.of("frontier"));
            forgetSeconds += (System.nanoTime() - started) / 1e9;
            forgetSamples += outcome.samplesProcessed();
        }
        forgetSeconds /= records.size();
        forgetSamples /= records.size();
        double baseSamples = monolithic == null ? trainSamples : monolithic.trainSamples();
        double baseSeconds = monolithic == null ? trainSeconds : monolithic.trainSeconds();
        return new Point(shards, slices, epochs, trainSeconds, trainSamples, soft, vote, forgetSeconds, forgetSamples,
                forgetSamples / baseSamples, forgetSeconds / baseSeconds);
    }

    private static double accuracy(ModelRepository repo, VersionManifest v, Splits data, Aggregation aggregation)
            throws Exception {
        List<Network> networks = new ArrayList<>();
        for (ShardEntry shard : v.shards()) {
            networks.add(Network.fromState(v.layout().architecture(), v.layout().inputShape(), v.layout().classes(),
                    repo.blob(shard.modelDigest())));
        }
        int[] rows = IntStream.range(0, data.test().size()).toArray();
        try (Ensemble ensemble = new Ensemble(networks, aggregation, v.layout().classes(), v.layout().inputShape())) {
            return Metrics.accuracy(ensemble.probabilities(data.test(), rows),
                    IntStream.of(rows).map(data.test()::label).toArray());
        }
    }

    private void write(List<Point> points, Splits data, int records) throws Exception {
        Files.createDirectories(results);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("suite", "frontier");
        json.put("measuredAt", Instant.now().toString());
        json.put("setup", Map.of("dataset", "Fashion-MNIST", "trainRecords", data.train().size(), "testRecords",
                data.test().size(), "architecture", "mlp 784-256-128-10", "slices", "8 (1 for one shard)",
                "forgetRecords", records, "threads", Integer.getInteger("bench.threads", 2)));
        json.put("points", points);
        JSON.writeValue(results.resolve("frontier.json").toFile(), json);

        StringBuilder md = new StringBuilder();
        md.append("| shards | epochs | test acc (mean softmax) | test acc (majority vote) | forget 1 record: samples vs one model | wall vs one model | train s |\n");
        md.append("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (Point p : points) {
            md.append(String.format("| %d | %d | %.2f%% | %.2f%% | %.4f (%.1f× fewer) | %.4f | %.1f |%n", p.shards(),
                    p.epochs(), 100 * p.meanSoftmaxAcc(), 100 * p.majorityVoteAcc(), p.forgetSamplesVsMonolithic(),
                    1 / p.forgetSamplesVsMonolithic(), p.forgetWallVsMonolithic(), p.trainSeconds()));
        }
        Files.writeString(results.resolve("frontier.md"), md.toString());

        XYChart chart = new XYChartBuilder().width(900).height(500)
                .title("SISA frontier: accuracy vs cost of forgetting one record exactly")
                .xAxisTitle("samples to forget one record, relative to training one model").yAxisTitle("test accuracy")
                .build();
        chart.getStyler().setXAxisLogarithmic(true).setLegendPosition(Styler.LegendPosition.InsideSE);
        for (int epochs : points.stream().map(Point::epochs).distinct().toList()) {
            List<Point> line = points.stream().filter(p -> p.epochs() == epochs).toList();
            chart.addSeries(epochs + " epochs (1→16 shards)", line.stream().map(Point::forgetSamplesVsMonolithic).toList(),
                    line.stream().map(Point::meanSoftmaxAcc).toList());
        }
        BitmapEncoder.saveBitmap(chart, results.resolve("frontier").toString(), BitmapEncoder.BitmapFormat.PNG);
        System.err.println("wrote " + results.resolve("frontier.json") + ", .md and plot");
        System.err.println(md);
    }
}
