package dev.unlearning.bench;

import dev.unlearning.api.UnlearningMethod;
import dev.unlearning.engine.EngineFixtures;
import dev.unlearning.engine.data.Splits;
import dev.unlearning.engine.evaluation.Ensemble;
import dev.unlearning.engine.evaluation.EvaluationReport;
import dev.unlearning.engine.evaluation.Evaluator;
import dev.unlearning.engine.training.ModelTraining;
import dev.unlearning.engine.unlearning.ApproximateSettings;
import dev.unlearning.engine.unlearning.ForgetSet;
import dev.unlearning.engine.unlearning.Unlearning;
import dev.unlearning.store.FileBlobStore;
import dev.unlearning.store.ModelRepository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

/** Tuning aid for the approximate defaults: bench/run tune METHOD [train-records] (settings via -Dunlearning.approx.*). */
final class Tune {
    private Tune() {
    }

    public static void main(String[] args) throws Exception {
        UnlearningMethod method = UnlearningMethod.valueOf(args[1]);
        int n = args.length > 2 ? Integer.parseInt(args[2]) : 3000;
        Splits data = EngineFixtures.fashion(n, 1000);
        Path dir = Files.createTempDirectory("tune");
        var spec = EngineFixtures.spec(2, 2, 3, dir);
        ModelRepository repo = new ModelRepository(new FileBlobStore(dir), "t").withIdKey(EngineFixtures.ID_KEY);
        new ModelTraining(repo, spec).trainAll(data.train());
        ForgetSet forget = ForgetSet.resolve(EngineFixtures.labels(List.of(1)), data.train());
        int[] kept = IntStream.range(0, data.train().size()).filter(r -> data.train().label(r) != 1).toArray();
        try (Ensemble e = Ensemble.load(repo, repo.latest().orElseThrow())) {
            EvaluationReport r = new Evaluator(1).evaluate(1, "", e, data, forget.rows(data.train()), kept, null, forget.labels());
            System.out.printf("before forgottenClass=%.3f other=%.3f%n", r.forgottenClassTestAccuracy(), r.otherClassesTestAccuracy());
        }
        long t = System.nanoTime();
        var outcome = new Unlearning(repo, spec, ApproximateSettings.fromSystemProperties()).run(data, forget, method, List.of("t"));
        double wall = (System.nanoTime() - t) / 1e9;
        int[] retain = IntStream.range(0, data.train().size()).filter(r -> data.train().label(r) != 1).toArray();
        try (Ensemble e = Ensemble.load(repo, outcome.after())) {
            EvaluationReport r = new Evaluator(1).evaluate(2, "", e, data, forget.rows(data.train()), retain, null, forget.labels());
            System.out.printf("%s forgottenClass=%.3f other=%.3f test=%.3f samples=%d wall=%.2fs%n", method,
                    r.forgottenClassTestAccuracy(), r.otherClassesTestAccuracy(), r.test().accuracy(), outcome.samplesProcessed(), wall);
        }
    }
}
