package dev.unlearning.testcluster;

import dev.unlearning.api.CertificateReference;
import dev.unlearning.cli.UnlearningCli;
import dev.unlearning.operator.certificates.CertificateIssuer;
import dev.unlearning.store.attestation.TrustedKeys;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;

/**
 * What the README tells an auditor to do: fetch the certificate from the model's namespace and the trusted keys
 * from the operator's (where tenants cannot write), then run {@code verify} against the store. Returns verify's
 * output.
 */
public final class Auditor {

    private Auditor() {
    }

    /** With the operator installed in the model's own namespace, as the test clusters do. */
    public static String verify(KubernetesClient client, String namespace, CertificateReference reference, String store)
            throws Exception {
        return verify(client, namespace, namespace, reference, store);
    }

    public static String verify(KubernetesClient client, String operatorNamespace, String namespace,
            CertificateReference reference, String store) throws Exception {
        String name = reference.getLocation().replaceFirst("^configmap/", "");
        String envelope = client.configMaps().inNamespace(namespace).withName(name).get().getData()
                .get(CertificateIssuer.CERTIFICATE_FILE);
        String keys = client.configMaps().inNamespace(operatorNamespace).withName(TrustedKeys.CONFIGMAP).get().getData()
                .get(TrustedKeys.FILE);
        Path dir = Files.createTempDirectory("audit");
        Path certificate = Files.writeString(dir.resolve("certificate.json"), envelope);
        Path trustedKeys = Files.writeString(dir.resolve("keys.json"), keys);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream previous = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            new CommandLine(new UnlearningCli()).execute("verify", "--certificate", certificate.toString(),
                    "--trusted-keys", trustedKeys.toString(), "--namespace", namespace, "--store", store);
        } finally {
            System.setOut(previous);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
