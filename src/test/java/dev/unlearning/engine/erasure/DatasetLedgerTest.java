package dev.unlearning.engine.erasure;

import static dev.unlearning.engine.EngineFixtures.labels;
import static dev.unlearning.engine.EngineFixtures.records;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.unlearning.api.ForgetLedger;
import dev.unlearning.api.ForgetLedgerSpec;
import dev.unlearning.api.ForgetSelector;
import dev.unlearning.api.LedgerEntry;
import dev.unlearning.api.ShardedModelSpec;
import dev.unlearning.api.UnlearningMethod;
import dev.unlearning.engine.EngineFixtures;
import dev.unlearning.engine.data.DataException;
import dev.unlearning.engine.data.Splits;
import dev.unlearning.engine.data.UriResolver;
import dev.unlearning.engine.training.ModelTraining;
import dev.unlearning.engine.training.ShardArtifacts;
import dev.unlearning.engine.unlearning.ApproximateSettings;
import dev.unlearning.engine.unlearning.ForgetRequests;
import dev.unlearning.engine.unlearning.ForgetSet;
import dev.unlearning.engine.unlearning.LedgerForgets;
import dev.unlearning.engine.unlearning.Unlearning;
import dev.unlearning.store.FileBlobStore;
import dev.unlearning.store.ModelRepository;
import dev.unlearning.store.ShardEntry;
import dev.unlearning.store.VersionManifest;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import dev.unlearning.store.IdDigestKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Records forgotten from one model stay out of every other model trained on the same dataset: a second model,
 * the same model under a new name, or in another store, whichever way it trains (in one process or as an
 * Indexed Job's pods and a publish).
 */
class DatasetLedgerTest {

    @TempDir
    Path dir;

    final Splits data = EngineFixtures.fashion(600, 100);
    final LedgerForgets ledgers = new LedgerForgets(new ForgetRequests(UriResolver.local(Path.of("/data"))));

    @Test
    void aModelTrainedLaterOnTheDatasetLeavesOutWhatAnotherModelForgot() throws Exception {
        ShardedModelSpec spec = EngineFixtures.spec(2, 2, 1, dir);
        ModelRepository first = new ModelRepository(new FileBlobStore(dir.resolve("store-a")), "first").withIdKey(EngineFixtures.ID_KEY);
        new ModelTraining(first, spec).trainAll(data.train());
        List<String> ids = List.of("train-5", "train-77", "train-301");
        new Unlearning(first, spec, ApproximateSettings.defaults()).run(data,
                ForgetSet.resolve(records(ids), data.train()), UnlearningMethod.EXACT, List.of("r1"));
        ForgetLedger ledger = ledger(entry("r1", records(ids), data.train().digest()), entry("r2", labels(List.of(3)),
                null));
        Set<String> classThree = new HashSet<>();
        IntStream.range(0, data.train().size()).filter(r -> data.train().label(r) == 3)
                .forEach(r -> classThree.add(data.train().id(r)));

        // Another model, in another store, trained the way the operator runs it: one pod per shard, then publish.
        ModelRepository second = new ModelRepository(new FileBlobStore(dir.resolve("store-b")), "second").withIdKey(EngineFixtures.ID_KEY);
        Set<String> forgotten = ledgers.forgotten(ledger, data.train(), data.train().digest());
        assertThat(forgotten).containsAll(ids).containsAll(classThree).hasSize(ids.size() + classThree.size());
        for (int shard = 0; shard < 2; shard++) {
            new ModelTraining(second, spec).withLedger(forgotten).trainStagedShard(data.train(), shard, "run-1");
        }
        VersionManifest v1 = new ModelTraining(second, spec).publishStaged("run-1");

        assertThat(v1.tombstones()).containsAll(EngineFixtures.ID_KEY.records(forgotten));
        assertThat(memberships(second, v1)).isNotEmpty().doesNotContainAnyElementsOf(forgotten);
        // A retrain of the second model without the ledger file still keeps them out: they are its tombstones now.
        VersionManifest v2 = new ModelTraining(second, spec).trainAll(data.train());
        assertThat(memberships(second, v2)).doesNotContainAnyElementsOf(forgotten);
    }

    @Test
    void rowPositionsFiledAgainstOtherDataAreRefusedNotMovedOntoOtherRecords() throws Exception {
        Splits changed = data.withTrain(data.train().withRecords(new int[] {0},
                new float[][] {new float[data.train().features().dim()]}, new int[] {3}));
        ForgetLedger filedOnOriginal = ledger(entry("r1", records(List.of("train-5")), data.train().digest()));

        assertThatThrownBy(() -> ledgers.forgotten(filedOnOriginal, changed.train(), changed.train().digest()))
                .isInstanceOf(DataException.class).hasMessageContaining("request r1")
                .hasMessageContaining("row positions");
        // Classes are not positions: a label entry applies to changed data as well.
        assertThat(ledgers.forgotten(ledger(entry("r2", labels(List.of(3)), data.train().digest())), changed.train(),
                changed.train().digest())).contains("train-0");
        // An entry filed before any model had trained records no digest: its ids name the data as it is.
        assertThat(ledgers.forgotten(ledger(entry("r3", records(List.of("train-5")), null)), changed.train(),
                changed.train().digest())).containsExactly("train-5");
    }

    @Test
    void digestsUnderAnotherIdKeyThanTheMountedOneAreRefusedNotMatchedToNothing() throws Exception {
        IdDigestKey replaced = new IdDigestKey("a-key-put-in-its-place-later".getBytes(StandardCharsets.UTF_8));
        ForgetSelector digests = new ForgetSelector();
        digests.setRecordDigests(List.copyOf(EngineFixtures.ID_KEY.records(List.of("train-5", "train-77"))));
        LedgerEntry entry = entry("r1", digests, data.train().digest());
        entry.setIdKeyId(EngineFixtures.ID_KEY.id());
        ForgetLedger ledger = ledger(entry);
        UriResolver local = UriResolver.local(Path.of("/data"));

        assertThat(new LedgerForgets(new ForgetRequests(local, EngineFixtures.ID_KEY)).forgotten(ledger, data.train(),
                data.train().digest())).containsExactlyInAnyOrder("train-5", "train-77");
        assertThatThrownBy(() -> new LedgerForgets(new ForgetRequests(local, replaced)).forgotten(ledger, data.train(),
                data.train().digest())).isInstanceOf(DataException.class)
                .hasMessageContaining("id-digest key " + EngineFixtures.ID_KEY.id())
                .hasMessageContaining("mounted now is " + replaced.id())
                .hasMessageContaining("would be trained on again");
    }

    static ForgetLedger ledger(LedgerEntry... entries) {
        ForgetLedger ledger = new ForgetLedger();
        ledger.setMetadata(new ObjectMetaBuilder().withName("dataset-test").withNamespace("ns").build());
        ForgetLedgerSpec spec = new ForgetLedgerSpec();
        spec.setDatasetUri("file:///data/fashion");
        spec.setEntries(List.of(entries));
        ledger.setSpec(spec);
        return ledger;
    }

    static LedgerEntry entry(String request, ForgetSelector selector, String digest) {
        LedgerEntry entry = new LedgerEntry();
        entry.setRequest(request);
        entry.setRequestUid("uid-" + request);
        entry.setDataDigest(digest);
        entry.select(selector);
        return entry;
    }

    static Set<String> memberships(ModelRepository repo, VersionManifest version) throws IOException {
        Set<String> ids = new HashSet<>();
        for (ShardEntry shard : version.shards()) {
            ids.addAll(ShardArtifacts.membership(repo, shard));
        }
        return ids;
    }
}
