package dev.unlearning.engine;

import dev.unlearning.api.worker.WorkerInvocation;
import ai.djl.engine.Engine;
import java.util.Optional;

/**
 * Process-wide PyTorch settings. They must be fixed before libtorch loads: PyTorch reads neither cgroup CPU
 * quotas nor later changes, and OpenMP spin-waiting on more threads than the pod's CPU limit made training
 * an order of magnitude slower on contended cores.
 */
public final class TorchRuntime {

    public static final String ENGINE = "PyTorch";

    private TorchRuntime() {
    }

    /** Threads from UNLEARNING_THREADS, else the JVM's container-aware processor count. */
    public static int defaultThreads() {
        return threadsOverride().orElse(Math.max(1, Runtime.getRuntime().availableProcessors()));
    }

    /** The thread count UNLEARNING_THREADS sets, if it is set. */
    public static Optional<Integer> threadsOverride() {
        String env = System.getenv(WorkerInvocation.ENV_THREADS);
        return env == null || env.isBlank() ? Optional.empty() : Optional.of(Math.max(1, Integer.parseInt(env.trim())));
    }

    /** Sets thread counts (unless already set, e.g. by tests) and offline mode, then returns the engine. */
    public static Engine engine(int threads) {
        System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
        System.setProperty("ai.djl.pytorch.num_threads",
                System.getProperty("ai.djl.pytorch.num_threads", Integer.toString(threads)));
        System.setProperty("ai.djl.pytorch.num_interop_threads",
                System.getProperty("ai.djl.pytorch.num_interop_threads", "1"));
        return Engine.getEngine(ENGINE);
    }

    public static Engine engine() {
        return engine(defaultThreads());
    }
}
