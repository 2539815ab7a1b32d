package dev.unlearning.cli;

import dev.unlearning.api.worker.WorkerInvocation;
import dev.unlearning.api.ShardedModel;
import dev.unlearning.api.UnlearningMethod;
import dev.unlearning.api.UnlearningRequest;
import dev.unlearning.api.worker.ExitCode;
import dev.unlearning.engine.TorchRuntime;
import dev.unlearning.engine.data.Splits;
import dev.unlearning.engine.unlearning.ApproximateSettings;
import dev.unlearning.engine.unlearning.ForgetRequests;
import dev.unlearning.engine.unlearning.ForgetSet;
import dev.unlearning.engine.unlearning.Unlearning;
import dev.unlearning.engine.unlearning.UnlearningOutcome;
import dev.unlearning.store.ModelRepository;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Forgets what one or more UnlearningRequests ask, as one new version (the operator coalesces requests
 * of a model into one run). Unknown ids are reported in the result and the known ones still forgotten.
 */
@Command(name = WorkerInvocation.UNLEARN, description = "Forget the records of one or more UnlearningRequests and publish a version.")
public class UnlearnCommand implements Callable<Integer> {

    @Option(names = WorkerInvocation.MODEL, required = true)
    Path model;

    @Option(names = WorkerInvocation.REQUEST, required = true, description = "UnlearningRequest YAML/JSON (repeatable)")
    List<Path> requests;

    @Option(names = WorkerInvocation.METHOD, description = "Exact, SCRUB, NegGradPlus, FineTune, SSD, SalUn (classifiers), GradientDifference or NPO (language models) (default: the requests' method)")
    String method;

    @Option(names = "--store")
    String store;

    @Option(names = "--output")
    Path output;

    @Option(names = WorkerInvocation.RUN, description = "Staging run id: unlearn one shard of --shards (index $JOB_COMPLETION_INDEX)")
    String run;

    @Option(names = WorkerInvocation.SHARDS, split = ",", description = "Shards of an Indexed Job, one per completion index")
    List<Integer> shards;

    @Option(names = WorkerInvocation.BASE_VERSION, description = "Version to start from (default: the latest)")
    Integer baseVersion;

    @Option(names = "--index", description = "Position in --shards (default: $JOB_COMPLETION_INDEX)")
    Integer index;

    @Override
    public Integer call() {
        return RoleIo.run("unlearn", () -> {
            ShardedModel cr = RoleIo.readModel(model);
            List<UnlearningRequest> crs = RoleIo.readRequests(requests);
            UnlearningMethod chosen = method != null ? parse(method) : sameMethod(crs);
            ModelRepository repo = RoleIo.repository(cr, store);
            TorchRuntime.engine();
            Splits splits = RoleIo.data(cr);
            ForgetSet forget = RoleIo.forgetSet(crs, splits);
            List<String> ids = ForgetRequests.ids(crs);
            Unlearning unlearning = new Unlearning(repo, cr.getSpec(), approximateSettings(crs));
            if (run != null) {
                int shard = indexedShard();
                RoleIo.writeResult(output, unlearning.stageShard(splits, forget, chosen, ids, run, shard, baseVersion));
                return ExitCode.OK;
            }
            UnlearningOutcome outcome = unlearning.run(splits, forget, chosen, ids);
            RoleIo.writeResult(output, outcome.result(chosen));
            return ExitCode.OK;
        });
    }

    /**
     * Requests that name a backdoor trigger forget records whose labels are poisoned: held-out look-alikes
     * say nothing about how wrong the model should be on them, so SCRUB+R's rewind is off there.
     */
    static ApproximateSettings approximateSettings(List<UnlearningRequest> requests) {
        boolean poisoned = requests.stream().anyMatch(r -> r.getSpec().getBackdoorTrigger() != null);
        return poisoned ? ApproximateSettings.defaults().withoutRewind() : ApproximateSettings.defaults();
    }

    /** One pod of an Indexed Job unlearns the shard at its index in --shards. */
    private int indexedShard() {
        Integer position = index != null ? index : TrainCommand.jobCompletionIndex();
        if (shards == null || shards.isEmpty() || baseVersion == null) {
            throw new IllegalArgumentException("--run needs --shards and --base-version");
        }
        if (position == null || position < 0 || position >= shards.size()) {
            throw new IllegalArgumentException("index " + position + " outside --shards " + shards);
        }
        return shards.get(position);
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
        throw new IllegalArgumentException("method must be Exact, SCRUB, NegGradPlus, FineTune, SSD, SalUn, GradientDifference or NPO, not " + name
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
}
