package dev.unlearning.cli;

import dev.unlearning.api.worker.WorkerInvocation;
import dev.unlearning.api.ShardedModel;
import dev.unlearning.api.worker.ExitCode;
import dev.unlearning.api.worker.PurgeResult;
import dev.unlearning.store.ModelRepository;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Deletes a model's whole store but its certificates: what deletionPolicy Delete runs before the model goes. */
@Command(name = WorkerInvocation.PURGE, description = "Delete every version, blob and staged file of a model (certificates stay).")
public class PurgeCommand implements Callable<Integer> {

    @Option(names = WorkerInvocation.MODEL, required = true)
    Path model;

    @Option(names = "--store")
    String store;

    @Option(names = "--output")
    Path output;

    @Override
    public Integer call() {
        return RoleIo.run("purge", () -> {
            ShardedModel cr = RoleIo.readModel(model);
            ModelRepository repo = RoleIo.repository(cr, store);
            int deleted = repo.purge();
            int certificates = (int) repo.keys().stream().filter(k -> k.contains("/certificates/")).count();
            RoleIo.writeResult(output, new PurgeResult(repo.model(), deleted, certificates));
            return ExitCode.OK;
        });
    }
}
