package dev.unlearning.engine.unlearning;

import dev.unlearning.api.ForgetSelector;
import dev.unlearning.engine.data.Dataset;
import dev.unlearning.engine.outliers.OutlierSearch;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;

/**
 * A forget request resolved against the training data. Unknown ids and subjects are reported, never fatal:
 * the known ones are still forgotten.
 *
 * @param recordIds ids of the records to forget, sorted
 * @param unknown selectors that matched nothing ("train-99999", "subject:alice")
 * @param labels the classes asked for, when the request named classes
 */
public record ForgetSet(TreeSet<String> recordIds, List<String> unknown, Set<Integer> labels) {

    public static ForgetSet resolve(ForgetSelector selector, Dataset train) {
        TreeSet<String> ids = new TreeSet<>();
        List<String> unknown = new ArrayList<>();
        Set<Integer> labels = Set.of();
        if (selector.getRecordIds() != null) {
            for (String id : new LinkedHashSet<>(selector.getRecordIds())) {
                if (train.ids().rowOf(id) >= 0) {
                    ids.add(id);
                } else {
                    unknown.add(id);
                }
            }
        } else if (selector.getSubjects() != null) {
            Set<String> wanted = new LinkedHashSet<>(selector.getSubjects());
            Set<String> seen = new HashSet<>();
            for (int row = 0; row < train.size(); row++) {
                String subject = train.subject(row);
                if (subject != null && wanted.contains(subject)) {
                    ids.add(train.id(row));
                    seen.add(subject);
                }
            }
            wanted.stream().filter(s -> !seen.contains(s)).forEach(s -> unknown.add("subject:" + s));
        } else if (selector.getLabels() != null) {
            labels = new TreeSet<>(selector.getLabels());
            Set<Integer> finalLabels = labels;
            IntStream.range(0, train.size()).filter(r -> finalLabels.contains(train.label(r)))
                    .forEach(r -> ids.add(train.id(r)));
            finalLabels.stream().filter(l -> l < 0 || l >= train.classes()).forEach(l -> unknown.add("label:" + l));
        } else if (selector.getOutliers() != null) {
            for (int row : OutlierSearch.find(selector.getOutliers(), train).rows()) {
                ids.add(train.id(row));
            }
        }
        return new ForgetSet(ids, List.copyOf(unknown), labels);
    }

    public boolean isEmpty() {
        return recordIds.isEmpty();
    }

    public int[] rows(Dataset train) {
        return recordIds.stream().mapToInt(id -> train.ids().rowOf(id)).filter(r -> r >= 0).toArray();
    }
}
