package dev.unlearning.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.unlearning.api.worker.ExitCode;
import dev.unlearning.store.Attestations;
import dev.unlearning.store.BlobStore;
import dev.unlearning.store.BlobStores;
import dev.unlearning.store.Certificate;
import dev.unlearning.store.Digests;
import dev.unlearning.store.Dsse;
import dev.unlearning.store.ModelRepository;
import dev.unlearning.store.SigningKeys;
import dev.unlearning.store.VersionManifest;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Checks a certificate as an auditor would, trusting nothing but the public keys it is given: the signature
 * over the exact payload, that it is about the expected namespace and model, and, given read access to the
 * store, that the claims hold there (the version exists with the signed digest and tombstone set; erased
 * versions are gone; the worker's evidence has the signed digest).
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
        Dsse.Envelope envelope = Dsse.Envelope.parse(Files.readAllBytes(certificate));
        if (!Dsse.IN_TOTO.equals(envelope.payloadType())) {
            throw new IllegalArgumentException("payload type " + envelope.payloadType() + " is not an in-toto Statement");
        }
        JsonNode statement = Attestations.parse(Dsse.verify(envelope, keys));
        JsonNode predicate = statement.path("predicate");
        String type = statement.path("predicateType").asText();
        String ns = predicate.path("namespace").asText();
        String name = predicate.path("model").asText();
        require(namespace == null || namespace.equals(ns), "the certificate is about namespace " + ns + ", not "
                + namespace);
        require(model == null || model.equals(name), "the certificate is about model " + name + ", not " + model);
        JsonNode subject = statement.path("subject").path(0);
        List<String> lines = new java.util.ArrayList<>(List.of(
                "signature: valid, key " + envelope.signatures().get(0).keyid(),
                "type: " + type,
                "subject: " + subject.path("name").asText() + " sha256:" + subject.path("digest").path("sha256").asText(),
                "namespace/model: " + ns + "/" + name + " (uid " + predicate.path("modelUid").asText() + ")"));
        require(store != null || recordDigests.isEmpty(), "--record-digest is checked against the evidence in the "
                + "store: pass --store");
        if (store != null) {
            BlobStore blobs = BlobStores.open(store, RoleIo.PVC_ROOT);
            ModelRepository repo = new ModelRepository(blobs, ns, name);
            byte[] evidence = checkEvidence(blobs, predicate.path("evidence"));
            if (Attestations.UNLEARNING.equals(type)) {
                VersionManifest version = version(repo, predicate.path("versionAfter").path("version").asInt());
                lines.addAll(checkUnlearning(repo, version, predicate, subject));
                lines.add(checkCoverage(version, predicate, evidence, recordDigests));
            } else if (Attestations.ERASURE.equals(type)) {
                require(recordDigests.isEmpty(), "--record-digest applies to unlearning certificates");
                lines.addAll(checkErasure(repo, predicate, subject));
            } else {
                throw new IllegalArgumentException("unknown predicate type " + type);
            }
            lines.add("store: evidence " + predicate.path("evidence").path("location").asText()
                    + " matches the signed digest");
        }
        return lines;
    }

    private static List<String> checkUnlearning(ModelRepository repo, VersionManifest manifest, JsonNode predicate,
            JsonNode subject) throws IOException {
        int version = manifest.version();
        require(manifest.ensembleDigest().equals(subject.path("digest").path("sha256").asText()),
                "version " + version + " in the store has digest " + manifest.ensembleDigest()
                        + ", not the signed one");
        String tombstones = VersionManifest.tombstoneDigest(manifest.tombstones());
        require(tombstones.equals(predicate.path("tombstoneSetSha256").asText()), "version " + version
                + "'s tombstones do not match the signed tombstone set");
        VersionManifest newest = repo.latest().orElseThrow();
        require(new HashSet<>(newest.tombstones()).containsAll(manifest.tombstones()), "the newest version "
                + newest.version() + " lacks tombstones of version " + version + ": forgotten records came back");
        return List.of("store: version " + version + " exists with the signed digest and its "
                + manifest.tombstones().size() + " tombstone(s) match; newest version " + newest.version()
                + " keeps them all");
    }

    private static List<String> checkErasure(ModelRepository repo, JsonNode predicate, JsonNode subject)
            throws IOException {
        int served = predicate.path("servedVersion").asInt();
        VersionManifest manifest = version(repo, served);
        require(manifest.ensembleDigest().equals(subject.path("digest").path("sha256").asText()),
                "served version " + served + " in the store has another digest than the signed one");
        Set<Integer> present = new HashSet<>(repo.versions());
        for (JsonNode erased : predicate.path("erasedVersions")) {
            require(!present.contains(erased.asInt()), "version " + erased.asInt() + " is said erased but is still "
                    + "in the store");
        }
        Set<String> blobs = new HashSet<>(repo.blobDigests());
        int gone = 0;
        for (JsonNode blob : predicate.path("erasedBlobDigests")) {
            require(!blobs.contains(blob.asText()), "blob " + blob.asText() + " is said erased but is still in the "
                    + "store");
            gone++;
        }
        return List.of("store: served version " + served + " has the signed digest; " + predicate
                .path("erasedVersions").size() + " erased version(s) and " + gone + " erased blob(s) are gone");
    }

    private static byte[] checkEvidence(BlobStore blobs, JsonNode evidence) throws IOException {
        String location = evidence.path("location").asText();
        Optional<byte[]> bytes = blobs.get(location);
        require(bytes.isPresent(), "the evidence " + location + " is not in the store");
        require(Digests.sha256(bytes.get()).equals(evidence.path("sha256").asText()), "the evidence " + location
                + " differs from what was signed");
        return bytes.get();
    }

    /**
     * Every record the signed evidence says was forgotten is tombstoned in the version, digest for digest (both
     * are keyed digests under the namespace's id-digest key), and so is every digest a data owner asks about.
     */
    private static String checkCoverage(VersionManifest version, JsonNode predicate, byte[] evidenceJson,
            List<String> asked) throws IOException {
        Certificate evidence = ModelRepository.JSON.readValue(evidenceJson, Certificate.class);
        List<String> forgotten = evidence.hashedRecordIds() == null ? List.of() : evidence.hashedRecordIds();
        require(forgotten.size() == predicate.path("forgottenRecords").asInt(), "the evidence lists "
                + forgotten.size() + " record digest(s), the certificate says " + predicate.path("forgottenRecords")
                .asInt() + " record(s) were forgotten");
        Set<String> tombstones = new HashSet<>(version.tombstones());
        long missing = forgotten.stream().filter(d -> !tombstones.contains(d)).count();
        require(missing == 0, "version " + version.version() + "'s tombstones lack " + missing + " of the "
                + forgotten.size() + " record digest(s) the certificate says were forgotten");
        for (String digest : asked) {
            require(forgotten.contains(digest.strip().toLowerCase(Locale.ROOT)), "record digest "
                    + digest + " is not among the records this certificate says were forgotten");
        }
        return "store: the version's tombstones cover all " + forgotten.size() + " forgotten record digest(s)"
                + (asked.isEmpty() ? "" : ", including the " + asked.size() + " asked about");
    }

    private static VersionManifest version(ModelRepository repo, int version) throws IOException {
        require(repo.versions().contains(version), "version " + version + " is not in the store");
        return repo.version(version);
    }

    private static void require(boolean holds, String otherwise) {
        if (!holds) {
            throw new IllegalArgumentException(otherwise);
        }
    }
}
