package dev.unlearning.api;

/** The API group and version shared by every kind of this operator. */
public final class ApiGroup {
    public static final String NAME = "unlearning.dev";
    public static final String VERSION = "v1alpha1";

    private ApiGroup() {
    }
}
