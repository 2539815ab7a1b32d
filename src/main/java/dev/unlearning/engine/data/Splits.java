package dev.unlearning.engine.data;

/** The training records (which unlearning acts on) and a held-out test set (which it never touches). */
public record Splits(Dataset train, Dataset test) {

    public Splits head(int trainRecords, int testRecords) {
        return new Splits(train.head(trainRecords), test.head(testRecords));
    }

    public Splits withTrain(Dataset newTrain) {
        return new Splits(newTrain, test);
    }
}
