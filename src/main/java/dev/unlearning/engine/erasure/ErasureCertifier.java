package dev.unlearning.engine.erasure;

import dev.unlearning.api.worker.ErasureResult;
import dev.unlearning.store.attestation.Certificates;
import dev.unlearning.store.Digests;
import dev.unlearning.store.attestation.ErasureCertificate;
import dev.unlearning.store.ModelRepository;
import dev.unlearning.store.VersionManifest;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/** Erases and leaves a signed certificate of what was erased in the store. */
public final class ErasureCertifier {

    private final ModelRepository repo;
    private final Clock clock;

    /** {@code repo} must hold the id-digest key: erasure matches memberships against tombstones with it. */
    public ErasureCertifier(ModelRepository repo, Clock clock) {
        this.repo = repo;
        this.clock = clock;
    }

    public ErasureResult erase(int served, int retention) throws IOException {
        Erasure erasure = new Erasure(repo);
        ErasurePlan plan = erasure.plan(served, retention);
        List<String> tombstones = repo.version(plan.newest()).tombstones();
        ErasureResult result = erasure.execute(plan);
        Instant now = Instant.now(clock);
        ErasureCertificate certificate = Certificates.sign(new ErasureCertificate(repo.model(), served,
                result.keptVersions(), result.erasedVersions(), result.erasedBlobDigests().stream().sorted().toList(),
                result.erasedStagingFiles(), result.erasedCopies(), tombstones.size(), VersionManifest.tombstoneDigest(tombstones),
                now.toString(), null), repo.idKey().bytes());
        byte[] json = Certificates.toJson(certificate);
        String id = "erasure-v" + served + "-" + now.toEpochMilli();
        repo.putCertificate(id, json);
        return result.withCertificate(repo.certificateLocation(id), Digests.sha256(json));
    }
}
