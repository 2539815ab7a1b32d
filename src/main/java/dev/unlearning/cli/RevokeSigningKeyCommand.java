package dev.unlearning.cli;

import dev.unlearning.operator.certificates.SigningKeyRotation;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.PrintStream;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Declares a signing key compromised: certificates that say they were signed with it at or after {@code --from}
 * fail {@code verify} from then on, and an active key is rotated out first. The operator republishes the trusted
 * keys within a minute.
 */
@Command(name = "revoke-signing-key", description = "Revoke a certificate signing key from a point in time on "
        + "(default: now); an active key is rotated out first.")
public class RevokeSigningKeyCommand implements Callable<Integer> {

    @Option(names = "--namespace", defaultValue = "${env:UNLEARNING_NAMESPACE:-unlearning-system}",
            description = "The operator's namespace (default: $UNLEARNING_NAMESPACE or unlearning-system)")
    String namespace;

    @Option(names = "--secret", defaultValue = "unlearning-signing-keys", description = "The signing-key Secret")
    String secret;

    @Option(names = "--key", required = true, description = "The key id to revoke (a certificate's keyid)")
    String keyId;

    @Option(names = "--from", description = "RFC 3339 time from which its signatures are void, e.g. when it may have "
            + "leaked (default: now)")
    String from;

    private final KubernetesClient client;
    private final PrintStream out = System.out;

    public RevokeSigningKeyCommand() {
        this(null);
    }

    /** With a client the caller owns (tests); without one, the kubeconfig's or the pod's service account. */
    public RevokeSigningKeyCommand(KubernetesClient client) {
        this.client = client;
    }

    @Override
    public Integer call() {
        Instant now = Instant.now();
        Instant revokedFrom;
        try {
            revokedFrom = from == null ? now : Instant.parse(from);
        } catch (DateTimeParseException e) {
            System.err.println("revoke-signing-key: --from " + from + " is not an RFC 3339 time");
            return 2;
        }
        KubernetesClient kubernetes = client != null ? client : new KubernetesClientBuilder().build();
        try {
            SigningKeyRotation.Rotated state = SigningKeyRotation.revoke(kubernetes, namespace, secret, keyId,
                    revokedFrom, now);
            out.println("revoked key " + keyId + " from " + revokedFrom);
            out.println("active signing key: " + state.activeId());
            return 0;
        } catch (IllegalStateException | KubernetesClientException e) {
            System.err.println("revoke-signing-key: " + e.getMessage());
            return 1;
        } finally {
            if (client == null) {
                kubernetes.close();
            }
        }
    }
}
