package dev.unlearning.cli;

import dev.unlearning.api.ShardedModel;
import dev.unlearning.api.UnlearningRequest;
import dev.unlearning.api.worker.ExitCode;
import dev.unlearning.engine.TorchRuntime;
import dev.unlearning.engine.data.Splits;
import dev.unlearning.engine.data.Tombstones;
import dev.unlearning.engine.evaluation.Ensemble;
import dev.unlearning.engine.evaluation.EvaluationReport;
import dev.unlearning.engine.evaluation.Evaluator;
import dev.unlearning.engine.evaluation.TextEvaluator;
import dev.unlearning.engine.lm.LmEnsemble;
import dev.unlearning.engine.sharding.PlacementRule;
import dev.unlearning.engine.sharding.ShardLayout;
import dev.unlearning.engine.unlearning.ForgetSet;
import dev.unlearning.store.CorruptArtifactException;
import dev.unlearning.store.ModelRepository;
import dev.unlearning.store.VersionManifest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Evaluates a model version, optionally against the forget set of some requests, and writes the JSON report. */
@Command(name = "evaluate", description = "Evaluate a model version (accuracies, membership inference).")
public class EvaluateCommand implements Callable<Integer> {

    @Option(names = "--model", required = true)
    Path model;

    @Option(names = "--version", description = "Version to evaluate (default: the latest)")
    Integer version;

    @Option(names = "--request", description = "UnlearningRequest whose records form the forget set (repeatable)")
    List<Path> requests = new ArrayList<>();

    @Option(names = "--store")
    String store;

    @Option(names = "--output")
    Path output;

    @Override
    public Integer call() {
        return RoleIo.run("evaluate", () -> {
            ShardedModel cr = RoleIo.readModel(model);
            ModelRepository repo = RoleIo.repository(cr, store);
            VersionManifest v = version != null ? repo.version(version) : repo.latest().orElseThrow(() ->
                    new CorruptArtifactException("model " + repo.model() + " has no version"));
            List<UnlearningRequest> crs = RoleIo.readRequests(requests);
            TorchRuntime.engine();
            Splits splits = RoleIo.data(cr);
            ForgetSet forget = RoleIo.forgetSet(crs, splits);
            int[] forgetRows = forget.rows(splits.train());
            Set<String> excluded = new HashSet<>(Tombstones.of(repo, v).idsIn(splits.train()));
            excluded.addAll(forget.recordIds());
            ShardLayout layout = ShardLayout.of(splits.train(), PlacementRule.of(v.layout(), repo.idKey()), excluded);
            int[] retainRows = IntStream.range(0, layout.shards())
                    .flatMap(s -> IntStream.of(layout.upTo(s, layout.slices() - 1))).toArray();
            if (v.layout().architecture().getType().languageModel()) {
                try (LmEnsemble lm = TextEvaluator.load(repo, v)) {
                    RoleIo.writeJson(output, new TextEvaluator(v.layout().seed()).evaluate(v.version(),
                            v.ensembleDigest(), lm, splits, forgetRows, retainRows));
                }
                return ExitCode.OK;
            }
            try (Ensemble ensemble = Ensemble.load(repo, v)) {
                EvaluationReport report = new Evaluator(v.layout().seed()).evaluate(v.version(), v.ensembleDigest(),
                        ensemble, splits, forgetRows, retainRows, null, forget.labels());
                RoleIo.writeJson(output, report);
            }
            return ExitCode.OK;
        });
    }
}
