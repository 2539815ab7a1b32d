package dev.unlearning.operator.jobs;

import dev.unlearning.api.ServingSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import java.util.Map;

/**
 * The serving container's resources: {@code spec.serving.resources} as given when it sets any request or
 * limit, else defaults. Without any, a serving pod is BestEffort (first to be evicted) and unbounded (free to
 * take its node's memory), and serve sizes itself from what the JVM sees: the heap from the node's memory,
 * its inference workers from the node's cores.
 *
 * <p>The defaults: a CPU limit of 2 makes serve run two inferences at a time and admit eight more (its
 * --max-concurrent and --max-queued defaults follow the CPUs the JVM sees) and gives PyTorch two threads, which
 * is what the serving benchmark measured; 1 CPU requested is one busy worker's worth. 2 GiB of memory gives
 * the heap 1.5 GiB (the image's -XX:MaxRAMPercentage=75) and leaves 512 MiB for libtorch, metaspace and
 * threads; under bench/run serving-abuse, with the heap capped at 256 MiB, serve peaked at about 400 MiB
 * resident (350 MiB of it before any abuse), so 1 GiB requested covers a replica under abuse with room for
 * a larger heap. A user's values are never
 * mixed with these: setting any replaces them all.
 */
final class ServingResources {

    static final Map<String, Quantity> DEFAULT_REQUESTS = Map.of("cpu", new Quantity("1"), "memory", new Quantity("1Gi"));
    static final Map<String, Quantity> DEFAULT_LIMITS = Map.of("cpu", new Quantity("2"), "memory", new Quantity("2Gi"));

    private ServingResources() {
    }

    static ResourceRequirements of(ServingSpec serving) {
        ResourceRequirements set = serving.getResources();
        if (set != null && (notEmpty(set.getRequests()) || notEmpty(set.getLimits())
                || (set.getClaims() != null && !set.getClaims().isEmpty()))) {
            return set;
        }
        return new ResourceRequirementsBuilder().withRequests(DEFAULT_REQUESTS).withLimits(DEFAULT_LIMITS).build();
    }

    private static boolean notEmpty(Map<String, Quantity> quantities) {
        return quantities != null && !quantities.isEmpty();
    }
}
