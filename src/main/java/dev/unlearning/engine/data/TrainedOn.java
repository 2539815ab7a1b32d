package dev.unlearning.engine.data;

import dev.unlearning.store.VersionManifest;

/**
 * Whether ids still name what a version was trained on. Ids that are row positions (IDX data) name other
 * records as soon as the source's rows are removed or reordered: forgetting or tombstoning by such ids on
 * changed data would hit other people's records and spare the forgotten ones. So both are refused with a
 * data error naming the version, instead of silently moving tombstones.
 */
public final class TrainedOn {

    private TrainedOn() {
    }

    /** Refuses to forget by id on data other than the data {@code version} was trained on. */
    public static void requireSameData(VersionManifest version, Dataset data, String digest) throws DataException {
        if (!data.ids().positional()) {
            return;
        }
        String trainedOn = version.layout().dataDigest();
        if (trainedOn == null) {
            throw new DataException("version " + version.version() + " of " + version.model() + " records no digest "
                    + "of its training data, so record ids that are row positions cannot be checked against it; "
                    + "train a new version first");
        }
        if (!trainedOn.equals(digest)) {
            throw changed(version, "forgetting by id would remove other records; restore the data the version was "
                    + "trained on");
        }
    }

    /**
     * Refuses to train on changed data while ids are row positions and the newest version has tombstones: they
     * would fall on other records in the new data.
     */
    public static void requireTombstonesStillApply(VersionManifest newest, Dataset data, String digest)
            throws DataException {
        if (!data.ids().positional() || newest.tombstones().isEmpty()) {
            return;
        }
        String trainedOn = newest.layout().dataDigest();
        if (trainedOn != null && !trainedOn.equals(digest)) {
            throw changed(newest, "its " + newest.tombstones().size() + " tombstone(s) are row positions and would "
                    + "fall on other records; train on the unchanged data, or use a dataset with stable ids (CSV)");
        }
    }

    private static DataException changed(VersionManifest version, String consequence) {
        return new DataException(version.model() + ": the training data changed since version " + version.version()
                + " was trained on it (digest " + abbreviated(version.layout().dataDigest()) + "); its record ids "
                + "are row positions, so " + consequence);
    }

    private static String abbreviated(String digest) {
        return digest == null ? "none" : digest.substring(0, Math.min(12, digest.length()));
    }
}
