package org.nnj.core.cpu;

/**
 * Grow-only per-thread buffers, so that warmed-up operations allocate nothing: two double buffers for row-wise
 * kernels, and numbered slots for the gemm kernels' packed panels (each thread, the workers included, packs into its
 * own).
 */
final class Scratch {
    private static final ThreadLocal<double[]> FIRST = ThreadLocal.withInitial(() -> new double[16]);
    private static final ThreadLocal<double[]> SECOND = ThreadLocal.withInitial(() -> new double[16]);
    /** Slots for the gemm kernels' packing: 0 = A block, 1 = B block, 2 = an edge tile of c. */
    private static final int GEMM_SLOTS = 3;
    private static final ThreadLocal<float[][]> GEMM32 = ThreadLocal.withInitial(() -> new float[GEMM_SLOTS][0]);
    private static final ThreadLocal<double[][]> GEMM64 = ThreadLocal.withInitial(() -> new double[GEMM_SLOTS][0]);

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

    /** This thread's float gemm buffer {@code slot} (0–2), at least {@code size} long; contents undefined. */
    static float[] gemmFloats(int slot, int size) {
        float[][] slots = GEMM32.get();
        if (slots[slot].length < size) {
            slots[slot] = new float[size];
        }
        return slots[slot];
    }

    /** This thread's double gemm buffer {@code slot} (0–2), at least {@code size} long; contents undefined. */
    static double[] gemmDoubles(int slot, int size) {
        double[][] slots = GEMM64.get();
        if (slots[slot].length < size) {
            slots[slot] = new double[size];
        }
        return slots[slot];
    }
}
