package dev.unlearning.engine.training;

import dev.unlearning.engine.data.Dataset;
import dev.unlearning.engine.sharding.ShardLayout;
import dev.unlearning.store.ModelRepository;
import dev.unlearning.store.ShardEntry;
import dev.unlearning.store.SliceEntry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Moves a shard's checkpoints and exact membership into the store, and reads membership back. */
public final class ShardArtifacts {

    private ShardArtifacts() {
    }

    /**
     * The entry for a shard whose slices {@code 0..keep-1} are unchanged from {@code previous} and whose later
     * slices were just trained.
     */
    public static ShardEntry store(ModelRepository repo, Dataset data, ShardLayout layout, int shard,
            List<SliceEntry> kept, List<ShardTrainer.SliceResult> trained, int version, String method)
            throws IOException {
        List<SliceEntry> slices = new ArrayList<>(kept);
        long samples = 0;
        double loss = Double.NaN;
        for (ShardTrainer.SliceResult result : trained) {
            int[] rows = layout.slice(shard, result.slice());
            String membership = repo.putBlob(membershipBytes(data, rows));
            String checkpoint = repo.putBlob(result.checkpoint());
            slices.add(new SliceEntry(result.slice(), rows.length, membership, checkpoint));
            samples += result.samples();
            loss = result.meanLoss();
        }
        return new ShardEntry(shard, layout.shardSize(shard), List.copyOf(slices),
                slices.get(slices.size() - 1).checkpointDigest(), true, method, version, samples, loss, null);
    }

    /** Record ids of one slice, one per line in dataset order: the exact training membership. */
    public static byte[] membershipBytes(Dataset data, int[] rows) {
        StringBuilder text = new StringBuilder(rows.length * 12);
        for (int row : rows) {
            text.append(data.id(row)).append('\n');
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    public static Set<String> membership(ModelRepository repo, SliceEntry slice) throws IOException {
        String text = new String(repo.blob(slice.membershipDigest()), StandardCharsets.UTF_8);
        return new LinkedHashSet<>(text.isEmpty() ? List.of() : Arrays.asList(text.split("\n")));
    }

    /** Every record id a shard's checkpoints were trained on. */
    public static Set<String> membership(ModelRepository repo, ShardEntry shard) throws IOException {
        Set<String> all = new LinkedHashSet<>();
        for (SliceEntry slice : shard.slices()) {
            all.addAll(membership(repo, slice));
        }
        return all;
    }
}
