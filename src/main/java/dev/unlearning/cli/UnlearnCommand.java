package dev.unlearning.cli;

import dev.unlearning.api.ForgetSelector;
import dev.unlearning.api.ShardedModel;
import dev.unlearning.api.UnlearningMethod;
import dev.unlearning.api.UnlearningRequest;
import dev.unlearning.engine.TorchRuntime;
import dev.unlearning.engine.data.Splits;
import dev.unlearning.engine.unlearning.ApproximateSettings;
import dev.unlearning.engine.unlearning.ForgetSet;
import dev.unlearning.engine.unlearning.Unlearning;
import dev.unlearning.engine.unlearning.UnlearningOutcome;
import dev.unlearning.store.ModelRepository;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Forgets what one or more UnlearningRequests ask, as one new version (the operator coalesces requests
 * of a model into one run). Unknown ids are reported in the result and the known ones still forgotten.
 */
@Command(name = "unlearn", description = "Forget the records of one or more UnlearningRequests and publish a version.")
public class UnlearnCommand implements Callable<Integer> {

    @Option(names = "--model", required = true)
    Path model;

    @Option(names = "--request", required = true, description = "UnlearningRequest YAML/JSON (repeatable)")
    List<Path> requests;

    @Option(names = "--method", description = "Exact, SCRUB, NegGradPlus or FineTune (default: the requests' method)")
    String method;

    @Option(names = "--store")
    String store;

    @Option(names = "--output")
    Path output;

    @Option(names = "--run", description = "Staging run id: unlearn one shard of --shards (index $JOB_COMPLETION_INDEX)")
    String run;

    @Option(names = "--shards", split = ",", description = "Shards of an Indexed Job, one per completion index")
    List<Integer> shards;

    @Option(names = "--base-version", description = "Version to start from (default: the latest)")
    Integer baseVersion;

    @Option(names = "--index", description = "Position in --shards (default: $JOB_COMPLETION_INDEX)")
    Integer index;

    /** The JSON result of an unlearning role. */
    public record Result(String model, int versionBefore, int versionAfter, UnlearningMethod method, int forgotten,
            List<String> unknown, List<Integer> affectedShards, List<Integer> retrainedFromSlice,
            long samplesProcessed, double wallSeconds, String digestBefore, String digestAfter) {
    }

    @Override
    public Integer call() {
        return RoleIo.run("unlearn", () -> {
            ShardedModel cr = RoleIo.readModel(model);
            List<UnlearningRequest> crs = new ArrayList<>();
            for (Path file : requests) {
                crs.add(RoleIo.readRequest(file));
            }
            UnlearningMethod chosen = method != null ? parse(method) : sameMethod(crs);
            ModelRepository repo = RoleIo.repository(cr, store);
            TorchRuntime.engine();
            Splits splits = RoleIo.data(cr);
            ForgetSet forget = union(crs, splits);
            List<String> ids = crs.stream().map(r -> r.getMetadata() != null && r.getMetadata().getUid() != null
                    ? r.getMetadata().getUid() : String.valueOf(r.getMetadata() == null ? "" : r.getMetadata().getName())).toList();
            Unlearning unlearning = new Unlearning(repo, cr.getSpec(), ApproximateSettings.defaults());
            if (run != null) {
                return stageOneShard(unlearning, repo, splits, forget, chosen, ids);
            }
            UnlearningOutcome outcome = unlearning.run(splits, forget, chosen, ids);
            RoleIo.writeResult(output, new Result(repo.model(), outcome.before().version(), outcome.after().version(),
                    chosen, forget.recordIds().size(), forget.unknown(), outcome.affectedShards(),
                    outcome.retrainedFromSlice(), outcome.samplesProcessed(), outcome.wallSeconds(),
                    outcome.before().ensembleDigest(), outcome.after().ensembleDigest()));
            return ExitCodes.OK;
        });
    }

    /** One pod of an Indexed Job: computes its shard's new entry and stages it for {@code finalize}. */
    private int stageOneShard(Unlearning unlearning, ModelRepository repo, Splits splits, ForgetSet forget,
            UnlearningMethod chosen, List<String> ids) throws Exception {
        Integer position = index != null ? index : TrainCommand.jobCompletionIndex();
        if (shards == null || shards.isEmpty() || baseVersion == null) {
            throw new IllegalArgumentException("--run needs --shards and --base-version");
        }
        if (position == null || position < 0 || position >= shards.size()) {
            throw new IllegalArgumentException("index " + position + " outside --shards " + shards);
        }
        int shard = shards.get(position);
        UnlearningOutcome outcome = unlearning.prepare(splits, forget, chosen, ids, java.util.Set.of(shard), baseVersion);
        repo.putStaging("unlearn-" + run, "shard-" + shard + ".json", outcome.after().shards().get(shard));
        RoleIo.writeResult(output, new ShardResult(run, shard, outcome.affectedShards().contains(shard),
                outcome.samplesProcessed(), outcome.wallSeconds()));
        return ExitCodes.OK;
    }

    /** The result of one staged shard. */
    public record ShardResult(String run, int shard, boolean changed, long samplesProcessed, double wallSeconds) {
    }

    /** A fromUri selector becomes a record-id selector: one id per line of the file it names. */
    static ForgetSelector withListFromUri(ForgetSelector selector) throws java.io.IOException {
        if (selector.getFromUri() == null) {
            if (selector.getFromConfigMap() != null) {
                throw new IllegalArgumentException("fromConfigMap must be resolved by the operator before the Job runs");
            }
            return selector;
        }
        java.nio.file.Path file = dev.unlearning.engine.data.UriResolver.local(RoleIo.PVC_ROOT).resolve(selector.getFromUri());
        if (!java.nio.file.Files.isReadable(file)) {
            throw new dev.unlearning.engine.data.DataException(selector.getFromUri() + ": record id list not found");
        }
        ForgetSelector resolved = new ForgetSelector();
        resolved.setRecordIds(java.nio.file.Files.readAllLines(file).stream().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList());
        return resolved;
    }

    static UnlearningMethod parse(String name) {
        for (UnlearningMethod m : UnlearningMethod.values()) {
            if (m.name().equalsIgnoreCase(name) || m.name().replace("_", "").equalsIgnoreCase(name)) {
                if (m == UnlearningMethod.AUTO) {
                    break;
                }
                return m;
            }
        }
        throw new IllegalArgumentException("method must be Exact, SCRUB, NegGradPlus or FineTune, not " + name
                + " (the operator resolves Auto)");
    }

    private static UnlearningMethod sameMethod(List<UnlearningRequest> crs) {
        TreeSet<UnlearningMethod> methods = new TreeSet<>();
        crs.forEach(r -> methods.add(r.getSpec().getMethod()));
        if (methods.size() != 1 || methods.first() == UnlearningMethod.AUTO) {
            throw new IllegalArgumentException("requests ask for " + methods + "; pass --method with one concrete method");
        }
        return methods.first();
    }

    static ForgetSet union(List<UnlearningRequest> crs, Splits splits) throws java.io.IOException {
        TreeSet<String> ids = new TreeSet<>();
        List<String> unknown = new ArrayList<>();
        java.util.Set<Integer> labels = new TreeSet<>();
        for (UnlearningRequest r : crs) {
            ForgetSelector selector = withListFromUri(r.getSpec().getForget());
            ForgetSet one = ForgetSet.resolve(selector, splits.train());
            ids.addAll(one.recordIds());
            unknown.addAll(one.unknown());
            labels.addAll(one.labels());
        }
        return new ForgetSet(ids, List.copyOf(unknown), labels);
    }
}
