package dev.unlearning.cli;

import dev.unlearning.api.worker.WorkerInvocation;
import dev.unlearning.api.ShardedModel;
import dev.unlearning.api.worker.ExitCode;
import dev.unlearning.engine.erasure.ErasureCertifier;
import dev.unlearning.store.ModelRepository;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Erases every version that still holds a forgotten record (except the newest and the served one), keeps
 * {@code --retention} clean versions for rollback, sweeps blobs no kept version needs and every staged file,
 * and stores a signed certificate of what went. Run it only while no other Job of the model runs.
 */
@Command(name = WorkerInvocation.ERASE, description = "Erase versions and artifacts that hold forgotten records, and certify it.")
public class EraseCommand implements Callable<Integer> {

    @Option(names = WorkerInvocation.MODEL, required = true)
    Path model;

    @Option(names = WorkerInvocation.SERVED_VERSION, required = true, description = "The version serving runs; always kept")
    int servedVersion;

    @Option(names = WorkerInvocation.RETENTION, defaultValue = "3", description = "Clean versions to keep for rollback")
    int retention;


    @Option(names = "--store")
    String store;

    @Option(names = "--output")
    Path output;

    @Override
    public Integer call() {
        return RoleIo.run("erase", () -> {
            ShardedModel cr = RoleIo.readModel(model);
            ModelRepository repo = RoleIo.repository(cr, store);
            RoleIo.writeResult(output, new ErasureCertifier(repo, Clock.systemUTC())
                    .erase(servedVersion, retention));
            return ExitCode.OK;
        });
    }
}
