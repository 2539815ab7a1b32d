package dev.unlearning.cli;

import dev.unlearning.operator.CrdCheck;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.quarkus.runtime.Quarkus;
import jakarta.inject.Inject;
import java.util.concurrent.Callable;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import picocli.CommandLine.Command;

/** Runs the reconcilers until the process is told to stop. */
@Command(name = OperatorCommand.NAME, description = "Run the operator (the default role).")
public class OperatorCommand implements Callable<Integer> {

    static final String NAME = "operator";

    @Inject
    Operator operator;

    @Inject
    KubernetesClient client;

    /** Off for namespaced installs, which may not read CRDs (the chart sets UNLEARNING_CRD_CHECK_ENABLED). */
    @ConfigProperty(name = "unlearning.crd-check.enabled", defaultValue = "true")
    boolean crdCheck;

    @Override
    public Integer call() {
        if (crdCheck) {
            CrdCheck.verify(client);
        }
        // quarkus-picocli counts as the application's main, so the operator SDK leaves starting it to us.
        operator.start();
        Quarkus.waitForExit();
        return 0;
    }
}
