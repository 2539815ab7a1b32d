package dev.unlearning.cli;

import io.quarkus.picocli.runtime.annotations.TopCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The one jar has several roles, chosen by subcommand: the operator itself (the default) and the roles its
 * Job pods run. Every role reads the same API types, so a Job's input is exactly what the CR said.
 */
@TopCommand
@Command(name = "unlearning-operator", mixinStandardHelpOptions = true,
        versionProvider = BuildVersion.class,
        subcommands = {OperatorCommand.class, TrainCommand.class, TrainCommand.Publish.class,
                UnlearnCommand.class, FinalizeCommand.class, DetectCommand.class, EraseCommand.class, PurgeCommand.class,
                EvaluateCommand.class,
                ServeCommand.class, VerifyCommand.class, RotateSigningKeyCommand.class, RevokeSigningKeyCommand.class,
                EngineInfoCommand.class,
                GenerateAuthorsCommand.class},
        description = "Kubernetes operator that makes sharded models forget data on request.")
public class UnlearningCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        // No subcommand means the operator role, which is what the Deployment runs without arguments.
        CommandLine operator = spec.commandLine().getSubcommands().get(OperatorCommand.NAME);
        int exit = operator.execute();
        if (exit != 0) {
            throw new CommandLine.ExecutionException(operator, "operator exited with " + exit);
        }
    }
}
