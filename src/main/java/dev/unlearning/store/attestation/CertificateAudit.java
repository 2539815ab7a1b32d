package dev.unlearning.store.attestation;

import dev.unlearning.store.BlobStore;
import dev.unlearning.store.Digests;
import dev.unlearning.store.ModelRepository;
import dev.unlearning.store.SliceEntry;
import dev.unlearning.store.IdDigestKey;
import dev.unlearning.store.VersionManifest;
import java.io.IOException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks a certificate as an auditor would, trusting nothing but the public keys it is given: the signature over
 * the exact payload, that it is about the expected namespace and model, and, given read access to the store, that
 * the claims hold there (the version exists with the signed digest and tombstone set; erased versions are gone; the
 * worker's evidence has the signed digest). Every failed check is an {@link IllegalArgumentException} that says
 * which claim did not hold; what held comes back as one line per check.
 */
public final class CertificateAudit {

    /**
     * What to check.
     *
     * @param namespace     the namespace the certificate must be about; null: any
     * @param model         the model it must be about; null: any
     * @param store         the model's store, to check the claims against; null: the signature and subject only
     * @param recordDigests keyed record digests a data owner asks about: each must be among the forgotten ones
     * @param isolation     the weakest isolation level to accept ({@link Provenance}); null: any, printed
     * @param idKey         the namespace's id-digest key, to check an exact version's memberships (raw ids) against
     *                      its tombstones (digests); null: that check is reported as not made
     */
    public record Expectations(String namespace, String model, BlobStore store, List<String> recordDigests,
            String isolation, IdDigestKey idKey) {

        public Expectations(String namespace, String model, BlobStore store, List<String> recordDigests) {
            this(namespace, model, store, recordDigests, null, null);
        }
    }

    private CertificateAudit() {
    }

    public static List<String> check(byte[] envelopeJson, Map<String, PublicKey> keys, Expectations expected)
            throws IOException {
        return check(envelopeJson, TrustedKeys.unbounded(keys), expected);
    }

    /** As above, and the signing key must have been valid (not retired, not revoked) when the certificate was signed. */
    public static List<String> check(byte[] envelopeJson, TrustedKeys trusted, Expectations expected)
            throws IOException {
        Map<String, PublicKey> keys = trusted.publicKeys();
        require(!keys.isEmpty(), "no public key was given");
        Dsse.Envelope envelope = Dsse.Envelope.parse(envelopeJson);
        require(Dsse.IN_TOTO.equals(envelope.payloadType()), "payload type " + envelope.payloadType()
                + " is not an in-toto Statement");
        Attestations.Statement statement = Attestations.parse(Dsse.verify(envelope, keys));
        Predicate predicate = statement.predicate();
        String keyId = envelope.signatures().stream().map(Dsse.EnvelopeSignature::keyid).filter(keys::containsKey)
                .findFirst().orElseThrow();
        trusted.refusal(keyId, predicate.issuedAt()).ifPresent(why -> require(false, why));
        String ns = predicate.namespace();
        String name = predicate.model();
        require(expected.namespace() == null || expected.namespace().equals(ns), "the certificate is about namespace "
                + ns + ", not " + expected.namespace());
        require(expected.model() == null || expected.model().equals(name), "the certificate is about model " + name
                + ", not " + expected.model());
        List<String> lines = new ArrayList<>(List.of(
                "signature: valid, " + trusted.describe(keyId) + "; signed at " + predicate.issuedAt(),
                "type: " + predicate.type(),
                "subject: " + statement.subject().name() + " sha256:" + statement.subject().sha256(),
                "namespace/model: " + ns + "/" + name + " (uid " + predicate.modelUid() + ")",
                checkIsolation(predicate.provenance(), expected.isolation())));
        require(expected.store() != null || expected.recordDigests().isEmpty(), "--record-digest is checked against "
                + "the evidence in the store: pass --store");
        if (expected.store() == null) {
            return lines;
        }
        ModelRepository repo = new ModelRepository(expected.store(), ns, name);
        byte[] evidence = checkEvidence(expected.store(), predicate.evidence());
        if (predicate instanceof UnlearningPredicate unlearning) {
            VersionManifest version = version(repo, unlearning.versionAfter().version());
            lines.add(checkUnlearning(repo, version, unlearning, statement.subject()));
            lines.add(checkCoverage(version, unlearning, evidence, expected.recordDigests()));
            if ("EXACT".equals(unlearning.method())) {
                lines.add(checkMemberships(repo, version, unlearning, expected.idKey()));
            }
        } else if (predicate instanceof ErasurePredicate erasure) {
            require(expected.recordDigests().isEmpty(), "--record-digest applies to unlearning certificates");
            lines.add(checkErasure(repo, erasure, evidence, statement.subject()));
        }
        lines.add("store: evidence " + predicate.evidence().location() + " matches the signed digest");
        return lines;
    }

    private static String checkIsolation(Provenance provenance, String required) {
        if (required != null) {
            require(Provenance.rank(required) > 0, "unknown isolation level " + required + " (known: "
                    + Provenance.TENANT_NAMESPACE + ", " + Provenance.PLATFORM + ")");
            require(provenance != null, "the certificate states no isolation level, and " + required + " is required");
            require(Provenance.rank(provenance.isolation()) >= Provenance.rank(required), "the certificate was "
                    + "produced under isolation " + provenance.isolation() + ", and " + required + " is required");
        }
        return provenance == null ? "isolation: not stated (a certificate from before isolation levels were stated)"
                : provenance.describe();
    }

    private static String checkUnlearning(ModelRepository repo, VersionManifest manifest, UnlearningPredicate claim,
            Attestations.Subject subject) throws IOException {
        int version = manifest.version();
        require(manifest.ensembleDigest().equals(subject.sha256()), "version " + version + " in the store has digest "
                + manifest.ensembleDigest() + ", not the signed one");
        String tombstones = VersionManifest.tombstoneDigest(manifest.tombstones());
        require(tombstones.equals(claim.tombstoneSetSha256()), "version " + version
                + "'s tombstones do not match the signed tombstone set");
        VersionManifest newest = repo.latest().orElseThrow();
        require(new HashSet<>(newest.tombstones()).containsAll(manifest.tombstones()), "the newest version "
                + newest.version() + " lacks tombstones of version " + version + ": forgotten records came back");
        return "store: version " + version + " exists with the signed digest and its " + manifest.tombstones().size()
                + " tombstone(s) match; newest version " + newest.version() + " keeps them all";
    }

    /**
     * The erased versions and blobs are gone, by the full list in the evidence (the signed statement may carry only
     * part of it), and so is every hidden copy of them: an older object version or a killed writer's file.
     */
    private static String checkErasure(ModelRepository repo, ErasurePredicate claim, byte[] evidenceJson,
            Attestations.Subject subject) throws IOException {
        ErasureCertificate evidence = ModelRepository.JSON.readValue(evidenceJson, ErasureCertificate.class);
        List<String> allBlobs = evidence.erasedBlobDigests() == null ? List.of() : evidence.erasedBlobDigests();
        require(allBlobs.size() == claim.erasedBlobs(), "the evidence lists " + allBlobs.size() + " erased blob(s), "
                + "the certificate says " + claim.erasedBlobs());
        require(new HashSet<>(allBlobs).containsAll(claim.erasedBlobDigests()), "the certificate names erased blobs "
                + "the evidence does not list");
        require(!claim.erasedBlobDigestsComplete() || claim.erasedBlobDigests().size() == allBlobs.size(),
                "the certificate says its blob list is complete, and the evidence lists more");
        int served = claim.servedVersion();
        VersionManifest manifest = version(repo, served);
        require(manifest.ensembleDigest().equals(subject.sha256()), "served version " + served
                + " in the store has another digest than the signed one");
        Set<Integer> present = new HashSet<>(repo.versions());
        for (int erased : claim.erasedVersions()) {
            require(!present.contains(erased), "version " + erased + " is said erased but is still in the store");
        }
        Set<String> blobs = new HashSet<>(repo.blobDigests());
        for (String blob : allBlobs) {
            require(!blobs.contains(blob), "blob " + blob + " is said erased but is still in the store");
        }
        Set<String> erasedKeys = new HashSet<>();
        allBlobs.forEach(blob -> erasedKeys.add(repo.blobKey(blob)));
        claim.erasedVersions().forEach(version -> erasedKeys.add(repo.versionKey(version)));
        // A killed writer's file is not named after its key: any under blobs/ or versions/ may hold erased bytes.
        List<String> copies = repo.hiddenCopies().stream()
                .filter(copy -> erasedKeys.stream().anyMatch(key -> copy.startsWith(key + "@"))
                        || !copy.contains("@") && (copy.contains("/blobs/") || copy.contains("/versions/")))
                .toList();
        require(copies.isEmpty(), () -> copies.size() + " hidden cop(ies) of what was erased are still in the store, "
                + "e.g. " + copies.get(0) + " (an older object version or a killed writer's file)");
        return "store: served version " + served + " has the signed digest; " + claim.erasedVersions().size()
                + " erased version(s) and " + allBlobs.size() + " erased blob(s) are gone, with every older copy";
    }

    /**
     * An exact version's retrained shards list none of its tombstoned records in any slice membership: what
     * "Exact" means, read from the store itself.
     */
    private static String checkMemberships(ModelRepository repo, VersionManifest version, UnlearningPredicate claim,
            IdDigestKey key) throws IOException {
        if (key == null) {
            return "memberships: NOT CHECKED (they list raw ids; pass --id-key with the namespace's id-digest key to "
                    + "check that no retrained slice holds a forgotten record)";
        }
        Set<String> tombstoned = new HashSet<>(version.tombstones());
        int slices = 0;
        for (int shard : claim.affectedShards()) {
            require(shard >= 0 && shard < version.shards().size(), "affected shard " + shard + " is not in version "
                    + version.version());
            for (SliceEntry slice : version.shards().get(shard).slices()) {
                // Read through the repository: a blob whose bytes do not match its digest fails the audit.
                String membership = new String(repo.blob(slice.membershipDigest()), java.nio.charset.StandardCharsets.UTF_8);
                long held = key.records(membership.lines().filter(l -> !l.isBlank()).toList()).stream()
                        .filter(tombstoned::contains).count();
                require(held == 0, "shard " + shard + " slice " + slice.slice() + " of exact version "
                        + version.version() + " lists " + held + " tombstoned record(s): it was trained on them");
                slices++;
            }
        }
        return "store: the " + slices + " slice membership(s) of the affected shards hold none of the version's "
                + tombstoned.size() + " tombstoned record(s)";
    }

    private static byte[] checkEvidence(BlobStore blobs, Evidence evidence) throws IOException {
        Optional<byte[]> bytes = blobs.get(evidence.location());
        require(bytes.isPresent(), "the evidence " + evidence.location() + " is not in the store");
        require(Digests.sha256(bytes.get()).equals(evidence.sha256()), "the evidence " + evidence.location()
                + " differs from what was signed");
        return bytes.get();
    }

    /**
     * Every record the signed evidence says was forgotten is tombstoned in the version, digest for digest (both are
     * keyed digests under the namespace's id-digest key), and so is every digest a data owner asks about.
     */
    private static String checkCoverage(VersionManifest version, UnlearningPredicate claim, byte[] evidenceJson,
            List<String> asked) throws IOException {
        Certificate evidence = ModelRepository.JSON.readValue(evidenceJson, Certificate.class);
        List<String> forgotten = evidence.hashedRecordIds() == null ? List.of() : evidence.hashedRecordIds();
        require(forgotten.size() == claim.forgottenRecords(), "the evidence lists " + forgotten.size()
                + " record digest(s), the certificate says " + claim.forgottenRecords() + " record(s) were forgotten");
        Set<String> tombstones = new HashSet<>(version.tombstones());
        long missing = forgotten.stream().filter(d -> !tombstones.contains(d)).count();
        require(missing == 0, "version " + version.version() + "'s tombstones lack " + missing + " of the "
                + forgotten.size() + " record digest(s) the certificate says were forgotten");
        for (String digest : asked) {
            require(forgotten.contains(digest.strip().toLowerCase(Locale.ROOT)), "record digest " + digest
                    + " is not among the records this certificate says were forgotten");
        }
        return "store: the version's tombstones cover all " + forgotten.size() + " forgotten record digest(s)"
                + (asked.isEmpty() ? "" : ", including the " + asked.size() + " asked about");
    }

    private static VersionManifest version(ModelRepository repo, int version) throws IOException {
        require(repo.versions().contains(version), "version " + version + " is not in the store");
        return repo.version(version);
    }

    private static void require(boolean holds, java.util.function.Supplier<String> otherwise) {
        if (!holds) {
            throw new IllegalArgumentException(otherwise.get());
        }
    }

    private static void require(boolean holds, String otherwise) {
        if (!holds) {
            throw new IllegalArgumentException(otherwise);
        }
    }
}
