package dev.unlearning.engine.data;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Stable identities of a dataset's records, and the way back from an id to a row. */
public interface RecordIds {

    int size();

    String id(int row);

    /** The row of {@code id}, or -1 when the dataset has no such record. */
    int rowOf(String id);

    /**
     * True when an id is only a row position (IDX data): it names other content as soon as rows are removed
     * or reordered, so forgetting by such ids is only sound on the very data a version was trained on.
     */
    default boolean positional() {
        return false;
    }

    /** The first {@code n} records' ids; ids of later rows become unknown. */
    default RecordIds head(int n) {
        RecordIds all = this;
        return new RecordIds() {
            @Override
            public int size() {
                return n;
            }

            @Override
            public boolean positional() {
                return all.positional();
            }

            @Override
            public String id(int row) {
                return all.id(row);
            }

            @Override
            public int rowOf(String id) {
                int row = all.rowOf(id);
                return row < n ? row : -1;
            }
        };
    }

    /** Ids of the form {@code <prefix>-<row>}, as IDX files (which have no ids of their own) get them. */
    static RecordIds indexed(String prefix, int size) {
        return new RecordIds() {
            @Override
            public int size() {
                return size;
            }

            @Override
            public boolean positional() {
                return true;
            }

            @Override
            public String id(int row) {
                return prefix + "-" + row;
            }

            @Override
            public int rowOf(String id) {
                if (!id.startsWith(prefix + "-")) {
                    return -1;
                }
                String digits = id.substring(prefix.length() + 1);
                if (digits.isEmpty() || digits.length() > 10 || !digits.chars().allMatch(Character::isDigit)
                        || (digits.length() > 1 && digits.charAt(0) == '0')) {
                    return -1;
                }
                long row = Long.parseLong(digits);
                return row < size ? (int) row : -1;
            }
        };
    }

    /** Explicit ids (CSV); they must be unique, or "forget record X" would be ambiguous. */
    public static RecordIds explicit(List<String> ids) {
        Map<String, Integer> rows = new HashMap<>(ids.size() * 2);
        for (int i = 0; i < ids.size(); i++) {
            if (rows.put(ids.get(i), i) != null) {
                throw new IllegalArgumentException("duplicate record id " + ids.get(i));
            }
        }
        return new RecordIds() {
            @Override
            public int size() {
                return ids.size();
            }

            @Override
            public String id(int row) {
                return ids.get(row);
            }

            @Override
            public int rowOf(String id) {
                return rows.getOrDefault(id, -1);
            }
        };
    }
}
