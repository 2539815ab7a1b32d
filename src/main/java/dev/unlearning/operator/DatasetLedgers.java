package dev.unlearning.operator;

import dev.unlearning.operator.conventions.Labels;
import dev.unlearning.api.worker.InputPins;
import io.fabric8.kubernetes.api.model.ConfigMap;
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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The ledgers that tie forgotten records to a dataset rather than to one model. A request's selector is added
 * once it is accepted (one object per request, labelled with the dataset); a training run gets a copy of its
 * dataset's ledger as it stood when the run started.
 */
public class DatasetLedgers {

    private final KubernetesClient client;
    private final Clock clock;

    public DatasetLedgers(KubernetesClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    /**
     * The dataset's ledger: every entry recorded for it in the namespace, merged in the order they were recorded.
     * Each entry is its own ForgetLedger object, so a thousand requests recorded at once never contend for one
     * object (a single growing object made them retry on conflicts until the operator ran out of memory).
     */
    public Optional<ForgetLedger> of(String namespace, String datasetUri) {
        List<ForgetLedger> parts = client.resources(ForgetLedger.class).inNamespace(namespace)
                .withLabel(Labels.DATASET, datasetLabel(datasetUri)).list().getItems();
        if (parts.isEmpty()) {
            return Optional.empty();
        }
        ForgetLedger merged = new ForgetLedger();
        merged.setMetadata(new ObjectMetaBuilder().withName(ForgetLedger.nameFor(datasetUri)).withNamespace(namespace)
                .build());
        ForgetLedgerSpec spec = new ForgetLedgerSpec();
        spec.setDatasetUri(DatasetReference.identity(datasetUri));
        spec.setEntries(parts.stream().filter(p -> p.getSpec() != null).flatMap(p -> p.getSpec().getEntries().stream())
                .sorted(Comparator.comparing((LedgerEntry e) -> String.valueOf(e.getRecordedAt()))
                        .thenComparing(LedgerEntry::getRequestUid))
                .collect(Collectors.toCollection(ArrayList::new)));
        merged.setSpec(spec);
        return Optional.of(merged);
    }

    /** Whether {@code request} must still be (re)recorded: never recorded, or recorded before the digest was known. */
    public static boolean needsRecording(LedgerRecord recorded, String dataDigest) {
        return recorded == null || (recorded.getDataDigest() == null && dataDigest != null);
    }

    /**
     * Records the request's selector against {@code datasetUri}, or the data digest once it is known; idempotent
     * per request. {@code selector} is the request's, with a ConfigMap list inlined.
     */
    public LedgerRecord record(UnlearningRequest request, ForgetSelector selector, String idKeyId, String datasetUri,
            String dataDigest) {
        String namespace = request.getMetadata().getNamespace();
        String name = ForgetLedger.nameFor(datasetUri) + "-" + request.getMetadata().getUid();
        ForgetLedger existing = client.resources(ForgetLedger.class).inNamespace(namespace).withName(name).get();
        if (existing == null) {
            LedgerEntry entry = new LedgerEntry();
            entry.setRequest(request.getMetadata().getName());
            entry.setRequestUid(request.getMetadata().getUid());
            entry.setRecordedAt(Instant.now(clock).toString());
            entry.setDataDigest(dataDigest);
            entry.select(selector);
            if (selector.getRecordDigests() != null || selector.getSubjectDigests() != null) {
                entry.setIdKeyId(idKeyId);
            }
            ForgetLedger ledger = new ForgetLedger();
            ledger.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace)
                    .addToLabels(Labels.MANAGED_BY, Labels.OPERATOR)
                    .addToLabels(Labels.DATASET, datasetLabel(datasetUri)).build());
            ForgetLedgerSpec spec = new ForgetLedgerSpec();
            spec.setDatasetUri(DatasetReference.identity(datasetUri));
            spec.setEntries(new ArrayList<>(List.of(entry)));
            ledger.setSpec(spec);
            client.resource(ledger).create();
            return new LedgerRecord(name, dataDigest);
        }
        LedgerEntry entry = existing.getSpec().getEntries().get(0);
        if (entry.getDataDigest() == null && dataDigest != null) {
            entry.setDataDigest(dataDigest);
            client.resource(existing).update();
        }
        return new LedgerRecord(name, entry.getDataDigest());
    }

    /** The label that gathers a dataset's ledger entries: the digest part of its ledger name. */
    static String datasetLabel(String datasetUri) {
        return ForgetLedger.nameFor(datasetUri).substring("dataset-".length());
    }

    /**
     * Copies the model's dataset ledger into a ConfigMap the training run's pods mount; empty when the dataset has
     * no ledger (nothing to leave out beyond the model's own tombstones), else the digest of what was copied.
     */
    public Optional<Copy> copyForTraining(ShardedModel model, String run) {
        Optional<ForgetLedger> ledger = nonEmpty(model);
        return ledger.map(l -> {
            ConfigMap copy = ModelFiles.ledger(model, JobFactory.ledgerConfigMapName(model, run), run, l);
            client.resource(copy).forceConflicts().serverSideApply();
            return new Copy(digest(l), InputPins.digest(copy.getData()));
        });
    }

    /**
     * A training's copy of the ledger: which requests it holds ({@link #digest}) and the digest of the files
     * written for the Job to pin.
     */
    public record Copy(String entries, String files) {
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
