package dev.unlearning.api;

/**
 * The rules every data, store and id-list URI follows, in one place: a supported scheme, a bounded length (so
 * the API server can cost its CEL rules) and no {@code ..} segment, which would let a {@code pvc://} path climb
 * out of its claim (the workers refuse such paths too).
 */
public final class Locations {

    public static final String PATTERN = "^(file|pvc|s3)://.+";
    public static final String NO_PARENT = "!self.matches('(^|/)[.][.](/|$)')";
    public static final String NO_PARENT_MESSAGE = "a location may not contain '..' segments";

    private Locations() {
    }

    /**
     * The URI, if it has no {@code ..} segment; the workers check again what the CRD checked, since a spec file
     * may reach them another way (the CLI, an older CRD).
     *
     * @throws IllegalArgumentException naming the URI
     */
    public static String requireNoParentSegments(String uri) {
        int scheme = uri.indexOf("://");
        String path = scheme < 0 ? uri : uri.substring(scheme + 3);
        for (String segment : path.split("/", -1)) {
            if (segment.equals("..")) {
                throw new IllegalArgumentException(uri + ": " + NO_PARENT_MESSAGE);
            }
        }
        return uri;
    }
}
