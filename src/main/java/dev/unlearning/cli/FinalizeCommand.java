package dev.unlearning.cli;

import dev.unlearning.api.worker.WorkerInvocation;
import dev.unlearning.api.ShardedModel;
import dev.unlearning.api.UnlearningMethod;
import dev.unlearning.api.UnlearningRequest;
import dev.unlearning.api.VerificationSpec;
import dev.unlearning.api.worker.ExitCode;
import dev.unlearning.api.worker.FinalizeResult;
import dev.unlearning.api.worker.GateFailure;
import dev.unlearning.api.Threshold;
import dev.unlearning.engine.TorchRuntime;
import dev.unlearning.engine.data.Splits;
import dev.unlearning.engine.evaluation.Backdoor;
import dev.unlearning.engine.unlearning.Finalization;
import dev.unlearning.engine.unlearning.ForgetRequests;
import dev.unlearning.engine.unlearning.ForgetSet;
import dev.unlearning.store.ModelRepository;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The last step of an unlearning run (see {@link Finalization}): verifies the version the run's pods staged
 * and publishes it with a signed certificate only if it passes the gate. A candidate that fails the gate is
 * never published (exit 5).
 */
@Command(name = WorkerInvocation.FINALIZE, description = "Verify and publish the version an unlearning run staged.")
public class FinalizeCommand implements Callable<Integer> {


    @Option(names = WorkerInvocation.MODEL, required = true)
    Path model;

    @Option(names = WorkerInvocation.REQUEST, required = true, description = "The run's UnlearningRequests (repeatable)")
    List<Path> requests;

    @Option(names = WorkerInvocation.RUN, required = true)
    String run;

    @Option(names = WorkerInvocation.BASE_VERSION, required = true)
    int baseVersion;

    @Option(names = WorkerInvocation.METHOD, required = true)
    String method;

    @Option(names = WorkerInvocation.SHARDS, split = ",", required = true)
    List<Integer> shards;

    @Option(names = WorkerInvocation.GATE, description = "Threshold, e.g. maxForgetAccuracy=0.5 (repeatable): "
            + "maxForgetAccuracy, maxMiaAuc, minTestAccuracy, maxBackdoorAsr")
    Map<String, Double> gate = new LinkedHashMap<>();


    @Option(names = "--store")
    String store;

    @Option(names = "--output")
    Path output;

    /** The distinct triggers the requests declare; a backdoor trigger on data that is not images is bad input. */
    static List<Backdoor> backdoors(List<UnlearningRequest> requests) {
        return requests.stream().map(r -> r.getSpec().getBackdoorTrigger()).filter(Objects::nonNull)
                .map(t -> new Backdoor(t.getTarget(), t.getPatch())).distinct().toList();
    }

    /** The run, and the first characters of the model's uid: a re-created model's u1 is another file. */
    static String evidenceId(String run, ShardedModel cr) {
        String prefix = WorkerInvocation.uidPrefix(cr.getMetadata().getUid());
        return prefix.isEmpty() ? run : run + "-" + prefix;
    }

    @Override
    public Integer call() {
        return RoleIo.run("finalize", () -> {
            VerificationSpec thresholds = thresholds(gate);
            ShardedModel cr = RoleIo.readModel(model);
            UnlearningMethod chosen = UnlearnCommand.parse(method);
            List<UnlearningRequest> crs = RoleIo.readRequests(requests);
            ModelRepository repo = RoleIo.repository(cr, store);
            TorchRuntime.engine();
            Splits splits = RoleIo.data(cr);
            ForgetSet forget = RoleIo.forgetSet(crs, splits);
            FinalizeResult result = new Finalization(repo).run(splits, forget,
                    new Finalization.Run(run, baseVersion, chosen, shards, ForgetRequests.ids(crs), thresholds,
                            backdoors(crs), evidenceId(run, cr)));
            RoleIo.writeResult(output, result);
            if (!result.published()) {
                System.err.println("finalize: verification failed: " + String.join("; ",
                        result.gateFailures().stream().map(GateFailure::describe).toList()));
                return ExitCode.GATE_FAILED;
            }
            return ExitCode.OK;
        });
    }

    /** The --gate options as a spec; an unknown key is invalid input. */
    static VerificationSpec thresholds(Map<String, Double> gate) {
        VerificationSpec spec = new VerificationSpec();
        gate.forEach((key, limit) -> Threshold.ofKey(key).setLimit(spec, limit));
        return spec;
    }
}
