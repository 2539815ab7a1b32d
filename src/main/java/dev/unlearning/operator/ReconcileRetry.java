package dev.unlearning.operator;

/**
 * How long a reconciler keeps retrying a failed reconcile before it waits for the next event. JOSDK's default
 * (5 attempts over about 16 s) gives up while an API server that just restarted still refuses requests its RBAC
 * allows: its authorizer answers 403 until its caches have synced, which on a loaded 2-core machine outlasted the
 * default (FaultsIT, 2026-12-02: a model's planning ConfigMap patch refused after a restart, the model stuck with
 * no further event). 30 attempts from 2 s, growing 1.5× to at most a minute apart, keep retrying for about 24
 * minutes; the values are shared by both reconcilers' {@code @GradualRetry}.
 */
final class ReconcileRetry {

    static final int MAX_ATTEMPTS = 30;
    static final long INITIAL_INTERVAL_MS = 2_000;
    static final double MULTIPLIER = 1.5;
    static final long MAX_INTERVAL_MS = 60_000;

    private ReconcileRetry() {
    }
}
