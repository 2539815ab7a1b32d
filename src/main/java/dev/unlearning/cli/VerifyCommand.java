package dev.unlearning.cli;

import dev.unlearning.api.worker.ExitCode;
import dev.unlearning.store.BlobStores;
import dev.unlearning.store.attestation.CertificateAudit;
import dev.unlearning.store.attestation.SigningKeys;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code verify}: an auditor's check of a certificate ({@link CertificateAudit} does the checking; this parses the
 * arguments, prints what held, and maps a failed claim to {@link ExitCode#CERTIFICATE_INVALID}).
 */
@Command(name = "verify", description = "Verify an unlearning or erasure certificate offline, optionally against the store.")
public class VerifyCommand implements Callable<Integer> {

    @Option(names = "--certificate", required = true, description = "The certificate (a DSSE envelope, JSON)")
    Path certificate;

    @Option(names = "--public-keys", required = true, description = "PEM file of one or more Ed25519 public keys")
    Path publicKeys;

    @Option(names = "--namespace", description = "The namespace the certificate must be about")
    String namespace;

    @Option(names = "--model", description = "The model the certificate must be about")
    String model;

    @Option(names = "--store", description = "The model's store URI, to check the claims against it")
    String store;

    @Option(names = "--record-digest", description = "A keyed record digest that the certificate must cover, as a "
            + "data owner checks their own record (repeatable; needs --store)")
    List<String> recordDigests = List.of();

    PrintStream out = System.out;

    @Override
    public Integer call() {
        try {
            for (String line : verify()) {
                out.println(line);
            }
            out.println("VALID");
            return ExitCode.OK.code();
        } catch (IllegalArgumentException e) {
            out.println("INVALID: " + e.getMessage());
            return ExitCode.CERTIFICATE_INVALID.code();
        } catch (IOException e) {
            out.println("INVALID: cannot read: " + e.getMessage());
            return ExitCode.CERTIFICATE_INVALID.code();
        }
    }

    List<String> verify() throws IOException {
        Map<String, PublicKey> keys = SigningKeys.parseAllPublic(Files.readString(publicKeys));
        if (keys.isEmpty()) {
            throw new IllegalArgumentException(publicKeys + " holds no public key");
        }
        return CertificateAudit.check(Files.readAllBytes(certificate), keys, new CertificateAudit.Expectations(namespace,
                model, store == null ? null : BlobStores.open(store, RoleIo.PVC_ROOT), recordDigests));
    }
}
