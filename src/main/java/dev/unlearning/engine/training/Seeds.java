package dev.unlearning.engine.training;

/** Derives independent, reproducible seeds for each shard, slice and epoch from the model's one seed. */
public final class Seeds {

    private Seeds() {
    }

    public static long mix(long seed, long... parts) {
        long h = seed ^ 0x9E3779B97F4A7C15L;
        for (long part : parts) {
            h = splitMix(h ^ (part + 0x632BE59BD9B4E019L));
        }
        return h;
    }

    private static long splitMix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
