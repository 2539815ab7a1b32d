package dev.unlearning.cli;

import io.javaoperatorsdk.operator.Operator;
import io.quarkus.runtime.Quarkus;
import jakarta.inject.Inject;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Runs the reconcilers until the process is told to stop. */
@Command(name = OperatorCommand.NAME, description = "Run the operator (the default role).")
public class OperatorCommand implements Callable<Integer> {

    static final String NAME = "operator";

    @Inject
    Operator operator;

    @Override
    public Integer call() {
        // quarkus-picocli counts as the application's main, so the operator SDK leaves starting it to us.
        operator.start();
        Quarkus.waitForExit();
        return 0;
    }
}
