package dev.unlearning.store.attestation;

/**
 * Under what a certificate was produced, stated in what is signed so an auditor can hold a certificate to a level:
 * who ran the work and whether the party it is meant to hold to account could have influenced it.
 *
 * @param isolation {@link #TENANT_NAMESPACE} or {@link #PLATFORM}
 * @param runner    the operator that planned the work and signed (its name and namespace)
 * @param workers   the namespace the worker Jobs ran in
 */
public record Provenance(String isolation, String runner, String workers) {

    /**
     * Workers ran in the tenant's own namespace: a tenant with edit there could have influenced the run (fed a pod
     * a result of its own, changed the model's spec ConfigMap), so the certificate says what the operator observed.
     */
    public static final String TENANT_NAMESPACE = "TenantNamespace";

    /** Workers, their inputs and the store's write credentials lived where the tenant cannot write. */
    public static final String PLATFORM = "Platform";

    /** The isolation levels, weakest first. */
    public static int rank(String isolation) {
        return switch (String.valueOf(isolation)) {
            case TENANT_NAMESPACE -> 1;
            case PLATFORM -> 2;
            default -> 0;
        };
    }

    /** What an auditor reads: the level and what it means. */
    public String describe() {
        return "isolation: " + isolation + (TENANT_NAMESPACE.equals(isolation)
                ? " (workers ran in namespace " + workers + ", where the tenant could have influenced the run)"
                : " (workers ran in namespace " + workers + ", out of the tenant's reach)") + "; runner " + runner;
    }
}
