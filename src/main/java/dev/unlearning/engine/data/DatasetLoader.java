package dev.unlearning.engine.data;

import dev.unlearning.api.ArchitectureSpec;
import dev.unlearning.api.DatasetFormat;
import dev.unlearning.api.DatasetSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Loads the train and test splits a ShardedModel's dataset spec describes. */
public final class DatasetLoader {

    private final UriResolver resolver;

    public DatasetLoader(UriResolver resolver) {
        this.resolver = resolver;
    }

    public Splits load(DatasetSpec spec) throws IOException {
        return load(spec, new ArchitectureSpec());
    }

    /** As {@link #load(DatasetSpec)}; jsonl text is tokenized for the language model {@code architecture} shapes. */
    public Splits load(DatasetSpec spec, ArchitectureSpec architecture) throws IOException {
        Path location = resolver.resolve(spec.getUri());
        Splits splits;
        if (spec.getFormat() == DatasetFormat.JSONL) {
            if (!architecture.getType().languageModel()) {
                throw new DataException("jsonl text trains a transformer-lm, not a " + architecture.getType());
            }
            int context = architecture.effectiveContext();
            Dataset train = TextDatasets.of("train", JsonlTextReader.read(location), context);
            // Without held-out text the relative gate cannot be measured, and fails closed.
            Dataset test = spec.getTestUri() == null ? TextDatasets.of("test", List.of(), context)
                    : TextDatasets.of("test", JsonlTextReader.read(resolver.resolve(spec.getTestUri())), context);
            splits = new Splits(train, test);
        } else if (spec.getFormat() == DatasetFormat.CSV) {
            Dataset train = CsvDatasetReader.read(location, "train", -1);
            Dataset test = spec.getTestUri() == null
                    ? emptyLike(train)
                    : CsvDatasetReader.read(resolver.resolve(spec.getTestUri()), "test", train.classes());
            splits = new Splits(train, test);
        } else {
            splits = IdxDatasetReader.read(location);
        }
        if (spec.getSubjectMapUri() != null) {
            splits = splits.withTrain(SubjectMap.apply(splits.train(), resolver.resolve(spec.getSubjectMapUri())));
        }
        return splits;
    }

    private static Dataset emptyLike(Dataset train) {
        return new Dataset("test", RecordIds.explicit(List.of()), new int[0], null,
                new FloatFeatures(new float[0], train.features().dim()), train.inputShape(), train.classes());
    }
}
