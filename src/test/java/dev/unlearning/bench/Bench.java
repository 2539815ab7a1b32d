package dev.unlearning.bench;

import java.nio.file.Path;
import java.util.Arrays;

/** Entry point of bench/run: picks the suite. */
public final class Bench {

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        Path results = Path.of(System.getProperty("bench.results", "bench/results"));
        boolean quick = Arrays.asList(args).contains("--quick");
        int only = Arrays.asList(args).indexOf("--only");
        if (only >= 0 && only + 1 < args.length) {
            // Some scenarios only (unlearning: --only a,g): a partial run never overwrites the published results.
            System.setProperty("bench.scenarios", args[only + 1]);
            results = results.resolveSibling("partial");
        }
        switch (args[0]) {
            case "unlearning" -> new UnlearningBench(quick, results).run();
            case "serving" -> new ServingBench(quick, results).run();
            case "serving-abuse" -> new ServingAbuseBench(quick, results).run();
            case "scale" -> new ScaleBench(quick, results).run();
            case "frontier" -> new FrontierBench(quick, results).run();
            case "unlearning-lm" -> new LmUnlearningBench(quick, results).run();
            case "knn" -> new KnnBench(quick, results).run();
            case "outliers" -> new OutlierBench(quick, results).run();
            case "tune" -> {
                // The unlearning scenarios scored on the validation split, for choosing the approximate methods'
                // settings (-Dunlearning.approx.<setting> through BENCH_JAVA_OPTS) without looking at the test set.
                System.setProperty("bench.evaluateOn", "validation");
                new UnlearningBench(quick, results.resolveSibling("tune")).run();
            }
            default -> {
                System.err.println("unknown suite " + args[0] + " (known: unlearning, serving, serving-abuse, scale, frontier, tune, unlearning-lm, knn, outliers)");
                System.exit(2);
            }
        }
    }
}
