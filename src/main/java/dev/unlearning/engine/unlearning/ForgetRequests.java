package dev.unlearning.engine.unlearning;

import dev.unlearning.api.ForgetSelector;
import dev.unlearning.api.UnlearningRequest;
import dev.unlearning.engine.data.DataException;
import dev.unlearning.engine.data.Dataset;
import dev.unlearning.engine.data.UriResolver;
import dev.unlearning.store.IdDigestKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Turns the UnlearningRequests of one run into the one forget set the run forgets. */
public final class ForgetRequests {

    private final UriResolver resolver;
    private final IdDigestKey idKey;

    /** {@code resolver} opens the record-id lists that {@code fromUri} selectors name. */
    public ForgetRequests(UriResolver resolver) {
        this(resolver, null);
    }

    /** {@code idKey}: the namespace's id-digest key, which digest selectors are matched with (null: none mounted). */
    /** The id of the key digests are matched with; null when none is mounted. */
    public String idKeyId() {
        return idKey == null ? null : idKey.id();
    }

    public ForgetRequests(UriResolver resolver, IdDigestKey idKey) {
        this.resolver = resolver;
        this.idKey = idKey;
    }

    /** The union of what every request asks, resolved against the training data. */
    public ForgetSet union(List<UnlearningRequest> requests, Dataset train) throws IOException {
        List<ForgetSelector> selectors = new ArrayList<>();
        for (UnlearningRequest request : requests) {
            selectors.add(request.getSpec().getForget());
        }
        return unionOf(selectors, train);
    }

    /** The union of what every selector names, resolved against the training data. */
    public ForgetSet unionOf(List<ForgetSelector> selectors, Dataset train) throws IOException {
        TreeSet<String> ids = new TreeSet<>();
        List<String> unknown = new ArrayList<>();
        Set<Integer> labels = new TreeSet<>();
        for (ForgetSelector selector : selectors) {
            ForgetSet one = ForgetSet.resolve(withDigestsMatched(withListFromUri(selector), train), train);
            ids.addAll(one.recordIds());
            unknown.addAll(one.unknown());
            labels.addAll(one.labels());
        }
        return new ForgetSet(ids, List.copyOf(unknown), labels);
    }

    /**
     * A digest selector becomes the plain one it stands for, by digesting every record id (or subject) of the
     * data with the key; a digest that matches nothing stays as an id no record has, so it is reported unknown
     * (by its first 12 hex digits, never more).
     */
    private ForgetSelector withDigestsMatched(ForgetSelector selector, Dataset train) {
        boolean records = selector.getRecordDigests() != null;
        if (!records && selector.getSubjectDigests() == null) {
            return selector;
        }
        if (idKey == null) {
            throw new IllegalArgumentException((records ? "recordDigests" : "subjectDigests") + " are matched with the "
                    + "namespace's id-digest key (Secret unlearning-id-key), which this pod has not mounted");
        }
        Set<String> wanted = new LinkedHashSet<>(records ? selector.getRecordDigests() : selector.getSubjectDigests());
        Map<String, String> found = new HashMap<>();
        for (int row = 0; row < train.size(); row++) {
            String value = records ? train.id(row) : train.subject(row);
            if (value != null) {
                String digest = records ? idKey.record(value) : idKey.subject(value);
                if (wanted.contains(digest)) {
                    found.put(digest, value);
                }
            }
        }
        List<String> resolved = new ArrayList<>();
        for (String digest : wanted) {
            resolved.add(found.getOrDefault(digest, "digest:" + digest.substring(0, Math.min(12, digest.length()))));
        }
        ForgetSelector plain = new ForgetSelector();
        if (records) {
            plain.setRecordIds(resolved);
        } else {
            plain.setSubjects(resolved);
        }
        return plain;
    }

    /** A fromUri selector becomes a record-id selector: one id per line of the file it names. */
    private ForgetSelector withListFromUri(ForgetSelector selector) throws IOException {
        if (selector.getFromUri() == null) {
            if (selector.getFromConfigMap() != null) {
                throw new IllegalArgumentException("fromConfigMap must be resolved by the operator before the Job runs");
            }
            return selector;
        }
        Path file = resolver.resolve(selector.getFromUri());
        if (!Files.isReadable(file)) {
            throw new DataException(selector.getFromUri() + ": record id list not found");
        }
        ForgetSelector resolved = new ForgetSelector();
        resolved.setRecordIds(Files.readAllLines(file).stream().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList());
        return resolved;
    }

    /** How versions and certificates name the requests: by uid, or by name where a request has none. */
    public static List<String> ids(List<UnlearningRequest> requests) {
        return requests.stream().map(r -> r.getMetadata() != null && r.getMetadata().getUid() != null
                ? r.getMetadata().getUid()
                : String.valueOf(r.getMetadata() == null ? "" : r.getMetadata().getName())).toList();
    }
}
