package dev.unlearning.bench;

import dev.unlearning.engine.data.Dataset;
import dev.unlearning.engine.data.FloatFeatures;
import dev.unlearning.engine.data.RecordIds;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/** A validation split cut from rows the benchmark does not train on. */
final class Holdout {

    private Holdout() {
    }

    /** Rows {@code [from, to)} of {@code data} as a dataset of their own (ids "validation-&lt;row&gt;"). */
    static Dataset rows(Dataset data, int from, int to) {
        int dim = data.features().dim();
        float[] features = new float[(to - from) * dim];
        for (int row = from; row < to; row++) {
            data.features().copyRow(row, features, (row - from) * dim);
        }
        List<String> ids = IntStream.range(from, to).mapToObj(r -> "validation-" + r).toList();
        return new Dataset(data.name() + "-validation", RecordIds.explicit(ids),
                Arrays.copyOfRange(data.labels(), from, to), null, new FloatFeatures(features, dim),
                data.inputShape(), data.classes());
    }
}
