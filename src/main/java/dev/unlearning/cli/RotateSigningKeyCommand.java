package dev.unlearning.cli;

import dev.unlearning.operator.certificates.SigningKeyRotation;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Rotates the operator's certificate signing key, with the caller's kubeconfig (or, run in the operator's pod, its
 * service account). The operator signs with the new key within a minute and republishes the public keys.
 */
@Command(name = "rotate-signing-key", description = "Make a fresh Ed25519 key the one certificates are signed with; "
        + "earlier public keys stay published, retired private keys are deleted.")
public class RotateSigningKeyCommand implements Callable<Integer> {

    @Option(names = "--namespace", defaultValue = "${env:UNLEARNING_NAMESPACE:-unlearning-system}",
            description = "The operator's namespace (default: $UNLEARNING_NAMESPACE or unlearning-system)")
    String namespace;

    @Option(names = "--secret", defaultValue = "unlearning-signing-keys", description = "The signing-key Secret")
    String secret;

    private final KubernetesClient client;
    private final PrintStream out = System.out;

    public RotateSigningKeyCommand() {
        this(null);
    }

    /** With a client the caller owns (tests); without one, the kubeconfig's or the pod's service account. */
    public RotateSigningKeyCommand(KubernetesClient client) {
        this.client = client;
    }

    @Override
    public Integer call() {
        KubernetesClient kubernetes = client != null ? client : new KubernetesClientBuilder().build();
        try {
            SigningKeyRotation.Rotated rotated = SigningKeyRotation.rotate(kubernetes, namespace, secret,
                    java.time.Instant.now());
            out.println("active signing key: " + rotated.activeId());
            out.println("retired (private key deleted, public key still published): " + rotated.retiredIds());
            out.println("public keys: " + rotated.publishedIds());
            return 0;
        } catch (IllegalStateException | KubernetesClientException e) {
            System.err.println("rotate-signing-key: " + e.getMessage());
            return 1;
        } finally {
            if (client == null) {
                kubernetes.close();
            }
        }
    }
}
