package dev.unlearning.cli;

import dev.unlearning.api.worker.ExitCode;
import dev.unlearning.store.BlobStores;
import dev.unlearning.store.IdDigestKey;
import java.nio.charset.StandardCharsets;
import dev.unlearning.store.attestation.CertificateAudit;
import dev.unlearning.store.attestation.SigningKeys;
import dev.unlearning.store.attestation.TrustedKeys;
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

    @Option(names = "--trusted-keys", description = "The operator's trusted-keys bundle (keys.json of ConfigMap "
            + "unlearning-trusted-keys in its namespace): public keys with the periods they may sign in")
    Path trustedKeys;

    @Option(names = "--public-keys", description = "PEM file of one or more Ed25519 public keys, without periods "
            + "(prefer --trusted-keys: a revoked key is only refused with it)")
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

    @Option(names = "--id-key", description = "File holding the namespace's id-digest key (Secret unlearning-id-key, "
            + "key 'key'): with --store, checks that an exact version's retrained slices list no forgotten record")
    Path idKey;

    @Option(names = "--require-isolation", description = "Fail unless the certificate was produced under at least "
            + "this isolation: TenantNamespace (workers in the tenant's namespace) or Platform")
    String requireIsolation;

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
        if ((trustedKeys == null) == (publicKeys == null)) {
            throw new IllegalArgumentException("give the keys to trust with exactly one of --trusted-keys and "
                    + "--public-keys");
        }
        TrustedKeys trusted;
        if (trustedKeys != null) {
            trusted = TrustedKeys.parse(Files.readString(trustedKeys));
        } else {
            Map<String, PublicKey> keys = SigningKeys.parseAllPublic(Files.readString(publicKeys));
            trusted = TrustedKeys.unbounded(keys);
        }
        if (trusted.keys().isEmpty()) {
            throw new IllegalArgumentException((trustedKeys != null ? trustedKeys : publicKeys) + " holds no public key");
        }
        return CertificateAudit.check(Files.readAllBytes(certificate), trusted, new CertificateAudit.Expectations(namespace,
                model, store == null ? null : BlobStores.open(store, RoleIo.PVC_ROOT), recordDigests, requireIsolation,
                idKey == null ? null : new IdDigestKey(Files.readString(idKey).strip().getBytes(StandardCharsets.UTF_8))));
    }
}
