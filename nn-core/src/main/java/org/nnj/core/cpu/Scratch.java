package org.nnj.core.cpu;

/** Grow-only per-thread double buffers, so that warmed-up operations allocate nothing. */
final class Scratch {
    private static final ThreadLocal<double[]> FIRST = ThreadLocal.withInitial(() -> new double[16]);
    private static final ThreadLocal<double[]> SECOND = ThreadLocal.withInitial(() -> new double[16]);

    private Scratch() {
    }

    /** This thread's first buffer, at least {@code size} long; contents undefined. */
    static double[] first(int size) {
        return get(FIRST, size);
    }

    /** This thread's second buffer (distinct from the first), at least {@code size} long; contents undefined. */
    static double[] second(int size) {
        return get(SECOND, size);
    }

    private static double[] get(ThreadLocal<double[]> local, int size) {
        double[] b = local.get();
        if (b.length < size) {
            b = new double[Math.max(size, 2 * b.length)];
            local.set(b);
        }
        return b;
    }
}
