package org.nnj.core.cpu;

/**
 * How one gemm is cut into parts for the threads ({@link #PARTS_PER_THREAD} per thread when there is enough work):
 * into bands of rows of {@code c} when {@code c} has at least as many rows as columns (or too few columns to share),
 * otherwise into bands of columns. Every part packs all of the operand that its band does not cut, so cutting the
 * longer side of {@code c} duplicates the smaller packing: a 256 × 1024 output split by columns packs op(a)
 * (256 × k) in each part rather than op(b) (k × 1024). Parts never split the k axis, so the split cannot change any
 * result. Band edges fall on multiples of the kernel's register tile, so that no part computes more padding than
 * needed.
 *
 * <p>Mutable and reused (one per calling thread, inside a {@link GemmJob}), so that planning allocates nothing.
 */
final class GemmPlan {
    /** Below this many multiply-adds one thread is faster than handing work to another (about 5–10 µs of work). */
    static final long PARALLEL_THRESHOLD = 1L << 18;
    /**
     * Parts per thread: with more parts than threads, a thread that the operating system deschedules holds up only its
     * current part while the others claim the rest ({@link CpuExecutor}).
     */
    static final int PARTS_PER_THREAD = 2;

    private int m;
    private int n;
    private int parts;
    private boolean byRows;
    private int align;

    /**
     * Plans an {@code m × n} output with inner dimension {@code k} for {@code threads} threads.
     *
     * @param rowAlign the kernel's rows per register tile
     * @param colAlign the kernel's columns per register tile
     */
    void plan(int m, int n, int k, int threads, int rowAlign, int colAlign) {
        this.m = m;
        this.n = n;
        long work = (long) m * n * Math.max(k, 1);
        if (threads <= 1 || work < PARALLEL_THRESHOLD) {
            set(1, true, 1);
            return;
        }
        // no part below half the threshold's work
        int wanted = (int) Math.min((long) threads * PARTS_PER_THREAD, Math.max(threads, 2 * work / PARALLEL_THRESHOLD));
        if (m >= n ? m >= rowAlign * threads || n < colAlign * threads : n < 2 * colAlign * threads) {
            set(Math.min(wanted, Math.max(1, m / rowAlign)), true, rowAlign);
        } else {
            set(Math.min(wanted, Math.max(1, n / colAlign)), false, colAlign);
        }
    }

    private void set(int parts, boolean byRows, int align) {
        this.parts = parts;
        this.byRows = byRows;
        this.align = align;
    }

    int parts() {
        return parts;
    }

    int rowStart(int part) {
        return byRows ? bound(m, part) : 0;
    }

    int rowEnd(int part) {
        return byRows ? bound(m, part + 1) : m;
    }

    int colStart(int part) {
        return byRows ? 0 : bound(n, part);
    }

    int colEnd(int part) {
        return byRows ? n : bound(n, part + 1);
    }

    /** Where part {@code part} starts: an even share rounded to a multiple of the alignment (the last: length). */
    private int bound(int length, int part) {
        if (part >= parts) {
            return length;
        }
        long even = (long) length * part / parts;
        long rounded = (even + align / 2) / align * align;
        return (int) Math.min(rounded, length);
    }
}
