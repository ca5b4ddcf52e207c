package org.nnj.core.cpu;

/**
 * How one gemm is cut into parts for the threads: into bands of rows of {@code c} when there are enough rows,
 * otherwise into bands of columns. Parts never split the k axis, so the split cannot change any result.
 */
final class GemmPlan {
    /** Rows of {@code op(b)} (the k axis) per block. */
    static final int KB = 256;
    /** Columns of {@code c} per block: one row segment of {@code c} stays in L1 while a block of k is applied. */
    static final int NB = 256;
    /** Below this many multiply-adds one thread is faster than handing work out. */
    static final long PARALLEL_THRESHOLD = 1L << 16;

    private final int m;
    private final int n;
    private final int parts;
    private final boolean byRows;

    private GemmPlan(int m, int n, int parts, boolean byRows) {
        this.m = m;
        this.n = n;
        this.parts = parts;
        this.byRows = byRows;
    }

    static GemmPlan of(int m, int n, int k, int threads) {
        long work = (long) m * n * Math.max(k, 1);
        if (threads <= 1 || work < PARALLEL_THRESHOLD) {
            return new GemmPlan(m, n, 1, true);
        }
        if (m >= 4 * threads || m >= n) {
            return new GemmPlan(m, n, Math.max(1, Math.min(threads, m)), true);
        }
        return new GemmPlan(m, n, Math.max(1, Math.min(threads, n / 16)), false);
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

    private int bound(int length, int part) {
        return (int) ((long) length * part / parts);
    }
}
