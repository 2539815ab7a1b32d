package dev.unlearning.operator;

import dev.unlearning.api.DatasetReference;
import dev.unlearning.api.ForgetLedger;
import dev.unlearning.api.ForgetLedgerSpec;
import dev.unlearning.api.ForgetSelector;
import dev.unlearning.api.LedgerEntry;
import dev.unlearning.api.LedgerRecord;
import dev.unlearning.api.ShardedModel;
import dev.unlearning.api.UnlearningRequest;
import dev.unlearning.operator.jobs.JobFactory;
import dev.unlearning.operator.jobs.ModelFiles;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import dev.unlearning.store.Digests;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The ledgers that tie forgotten records to a dataset rather than to one model. A request's selector is added
 * once it is accepted; a training run gets a copy of its dataset's ledger as it stood when the run started.
 * Writes use optimistic concurrency: two requests recorded at once make one of them retry, never lose an entry.
 */
public class DatasetLedgers {

    private final KubernetesClient client;
    private final Clock clock;

    public DatasetLedgers(KubernetesClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    public Optional<ForgetLedger> of(String namespace, String datasetUri) {
        return Optional.ofNullable(client.resources(ForgetLedger.class).inNamespace(namespace)
                .withName(ForgetLedger.nameFor(datasetUri)).get());
    }

    /** Whether {@code request} must still be (re)recorded: never recorded, or recorded before the digest was known. */
    public static boolean needsRecording(LedgerRecord recorded, String dataDigest) {
        return recorded == null || (recorded.getDataDigest() == null && dataDigest != null);
    }

    /**
     * Adds the request's selector to the ledger of {@code datasetUri}, or the data digest to its entry once it is
     * known; idempotent per request uid. {@code selector} is the request's, with a ConfigMap list inlined.
     */
    public LedgerRecord record(UnlearningRequest request, ForgetSelector selector, String datasetUri,
            String dataDigest) {
        String namespace = request.getMetadata().getNamespace();
        String uid = request.getMetadata().getUid();
        ForgetLedger ledger = of(namespace, datasetUri).orElse(null);
        boolean create = ledger == null;
        if (create) {
            ledger = new ForgetLedger();
            ledger.setMetadata(new ObjectMetaBuilder().withName(ForgetLedger.nameFor(datasetUri))
                    .withNamespace(namespace).addToLabels(Labels.MANAGED_BY, Labels.OPERATOR).build());
            ForgetLedgerSpec spec = new ForgetLedgerSpec();
            spec.setDatasetUri(DatasetReference.identity(datasetUri));
            ledger.setSpec(spec);
        }
        LedgerEntry entry = ledger.getSpec().getEntries().stream().filter(e -> uid.equals(e.getRequestUid()))
                .findFirst().orElse(null);
        boolean changed = false;
        if (entry == null) {
            entry = new LedgerEntry();
            entry.setRequest(request.getMetadata().getName());
            entry.setRequestUid(uid);
            entry.setRecordedAt(Instant.now(clock).toString());
            entry.select(selector);
            ledger.getSpec().getEntries().add(entry);
            changed = true;
        }
        if (entry.getDataDigest() == null && dataDigest != null) {
            entry.setDataDigest(dataDigest);
            changed = true;
        }
        if (create) {
            client.resource(ledger).create();
        } else if (changed) {
            client.resource(ledger).update();
        }
        return new LedgerRecord(ledger.getMetadata().getName(), entry.getDataDigest());
    }

    /**
     * Copies the model's dataset ledger into a ConfigMap the training run's pods mount; empty when the dataset has
     * no ledger (nothing to leave out beyond the model's own tombstones), else the digest of what was copied.
     */
    public Optional<String> copyForTraining(ShardedModel model, String run) {
        Optional<ForgetLedger> ledger = nonEmpty(model);
        ledger.ifPresent(l -> client.resource(ModelFiles.ledger(model, JobFactory.ledgerConfigMapName(model, run), run,
                l)).forceConflicts().serverSideApply());
        return ledger.map(DatasetLedgers::digest);
    }

    /** The digest of the model's dataset ledger now (null without one), to compare with what a run copied. */
    public String digestNow(ShardedModel model) {
        return nonEmpty(model).map(DatasetLedgers::digest).orElse(null);
    }

    private Optional<ForgetLedger> nonEmpty(ShardedModel model) {
        return of(model.getMetadata().getNamespace(), model.getSpec().getDataset().getUri())
                .filter(l -> l.getSpec() != null && !l.getSpec().getEntries().isEmpty());
    }

    /** Which requests a ledger holds: a data digest filled in later does not change what it leaves out. */
    static String digest(ForgetLedger ledger) {
        String uids = ledger.getSpec().getEntries().stream().map(LedgerEntry::getRequestUid).sorted()
                .collect(Collectors.joining("\n"));
        return Digests.sha256(uids.getBytes(StandardCharsets.UTF_8)).substring(0, 16);
    }

    static boolean sameDataset(ShardedModel model, String datasetUri) {
        return Objects.equals(DatasetReference.identity(model.getSpec().getDataset().getUri()),
                DatasetReference.identity(datasetUri));
    }
}
