package org.nnj.core.cpu;

import java.util.Arrays;

/**
 * Element-wise loops of the cpu backend, split over the {@link CpuExecutor}'s threads into contiguous ranges when
 * they are long enough to pay for the hand-off. Each element is computed exactly as on one thread, so results never
 * depend on the thread count. One instance per calling thread is reused (like {@link GemmJob}), so that a warmed-up
 * call allocates nothing; array references are dropped when the call returns.
 */
final class ElementJob implements CpuExecutor.Part {
    /** Below this many elements one thread does the whole loop (a hand-off costs a few microseconds). */
    static final int MIN_PARALLEL = 1 << 16;
    /** Gathering rows waits on memory more than it computes: split from this many elements on. */
    static final int MIN_PARALLEL_GATHER = 1 << 15;
    /** How many rows ahead the gather touches the source rows it will read. */
    static final int GATHER_AHEAD = 3;

    private static final ThreadLocal<ElementJob> JOBS = ThreadLocal.withInitial(ElementJob::new);

    private static final int FILL = 0;
    private static final int AXPY = 1;
    private static final int RELU = 2;
    private static final int RELU_BACKWARD = 3;
    private static final int ALL_FINITE = 4;
    private static final int GATHER = 5;
    private static final int ADD_ROW = 6;
    private static final int SUM_ROWS = 7;

    private int op;
    private int parts;
    /** Elements (rows for GATHER and ADD_ROW) to split. */
    private int length;
    private ElementKernels kernels;
    private float[] f0;
    private float[] f1;
    private float[] f2;
    private double[] d0;
    private double[] d1;
    private double[] d2;
    private float fs;
    private double ds;
    private byte[] bytes;
    private int[] indices;
    private int from;
    private int rowLength;
    private boolean[] bad = new boolean[0];
    /** Where the gather's look-ahead reads go, so that the JIT keeps them. */
    private int sink;

    private ElementJob() {
    }

    private static ElementJob start(CpuExecutor executor, int op, int length, int elements, int minimum) {
        ElementJob job = JOBS.get();
        job.op = op;
        job.length = length;
        int threads = executor == null ? 1 : executor.threads();
        job.parts = elements < minimum ? 1 : Math.max(1, Math.min(threads * GemmPlan.PARTS_PER_THREAD, length));
        return job;
    }

    private void go(CpuExecutor executor) {
        try {
            if (parts == 1) {
                run(0);
            } else {
                executor.run(parts, this);
            }
        } finally {
            f0 = f1 = f2 = null;
            d0 = d1 = d2 = null;
            bytes = null;
            indices = null;
            kernels = null;
        }
    }

    /** {@code x[i] = value}. */
    static void fill(CpuExecutor ex, float[] x, float value) {
        ElementJob job = start(ex, FILL, x.length, x.length, MIN_PARALLEL);
        job.f0 = x;
        job.fs = value;
        job.go(ex);
    }

    /** {@code x[i] = value}. */
    static void fill(CpuExecutor ex, double[] x, double value) {
        ElementJob job = start(ex, FILL, x.length, x.length, MIN_PARALLEL);
        job.d0 = x;
        job.ds = value;
        job.go(ex);
    }

    /** {@code y[i] += alpha·x[i]}. */
    static void axpy(CpuExecutor ex, float alpha, float[] x, float[] y) {
        ElementJob job = start(ex, AXPY, y.length, y.length, MIN_PARALLEL);
        job.fs = alpha;
        job.f0 = x;
        job.f1 = y;
        job.go(ex);
    }

    /** {@code y[i] += alpha·x[i]}. */
    static void axpy(CpuExecutor ex, double alpha, double[] x, double[] y) {
        ElementJob job = start(ex, AXPY, y.length, y.length, MIN_PARALLEL);
        job.ds = alpha;
        job.d0 = x;
        job.d1 = y;
        job.go(ex);
    }

    /** {@code o[i] = max(x[i], 0)}, NaN kept. */
    static void relu(CpuExecutor ex, float[] x, float[] o) {
        ElementJob job = start(ex, RELU, o.length, o.length, MIN_PARALLEL);
        job.f0 = x;
        job.f1 = o;
        job.go(ex);
    }

    /** {@code o[i] = max(x[i], 0)}, NaN kept. */
    static void relu(CpuExecutor ex, double[] x, double[] o) {
        ElementJob job = start(ex, RELU, o.length, o.length, MIN_PARALLEL);
        job.d0 = x;
        job.d1 = o;
        job.go(ex);
    }

    /** {@code o[i] = y[i] > 0 ? d[i] : 0}. */
    static void reluBackward(CpuExecutor ex, ElementKernels k, float[] y, float[] d, float[] o) {
        ElementJob job = start(ex, RELU_BACKWARD, o.length, o.length, MIN_PARALLEL);
        job.kernels = k;
        job.f0 = y;
        job.f1 = d;
        job.f2 = o;
        job.go(ex);
    }

    /** {@code o[i] = y[i] > 0 ? d[i] : 0}. */
    static void reluBackward(CpuExecutor ex, ElementKernels k, double[] y, double[] d, double[] o) {
        ElementJob job = start(ex, RELU_BACKWARD, o.length, o.length, MIN_PARALLEL);
        job.kernels = k;
        job.d0 = y;
        job.d1 = d;
        job.d2 = o;
        job.go(ex);
    }

    /** True if no element is infinite or NaN. */
    static boolean allFinite(CpuExecutor ex, ElementKernels k, float[] x) {
        ElementJob job = start(ex, ALL_FINITE, x.length, x.length, MIN_PARALLEL);
        job.kernels = k;
        job.f0 = x;
        return job.finite(ex);
    }

    /** True if no element is infinite or NaN. */
    static boolean allFinite(CpuExecutor ex, ElementKernels k, double[] x) {
        ElementJob job = start(ex, ALL_FINITE, x.length, x.length, MIN_PARALLEL);
        job.kernels = k;
        job.d0 = x;
        return job.finite(ex);
    }

    private boolean finite(CpuExecutor ex) {
        if (bad.length < parts) {
            bad = new boolean[parts];
        }
        Arrays.fill(bad, 0, parts, false);
        go(ex);
        for (int p = 0; p < parts; p++) {
            if (bad[p]) {
                return false;
            }
        }
        return true;
    }

    /** Row r of {@code out} = {@code scale · src[indices[from + r]·rowLength …]} for {@code r < count}. */
    static void gather(CpuExecutor ex, ElementKernels k, byte[] src, int rowLength, int[] indices, int from,
                       int count, float scale, float[] out) {
        ElementJob job = start(ex, GATHER, count, count * rowLength, MIN_PARALLEL_GATHER);
        job.gatherArgs(k, src, rowLength, indices, from);
        job.fs = scale;
        job.f0 = out;
        job.go(ex);
    }

    /** Row r of {@code out} = {@code scale · src[indices[from + r]·rowLength …]} for {@code r < count}. */
    static void gather(CpuExecutor ex, ElementKernels k, byte[] src, int rowLength, int[] indices, int from,
                       int count, double scale, double[] out) {
        ElementJob job = start(ex, GATHER, count, count * rowLength, MIN_PARALLEL_GATHER);
        job.gatherArgs(k, src, rowLength, indices, from);
        job.ds = scale;
        job.d0 = out;
        job.go(ex);
    }

    private void gatherArgs(ElementKernels k, byte[] src, int rowLength, int[] indices, int from) {
        this.kernels = k;
        this.bytes = src;
        this.rowLength = rowLength;
        this.indices = indices;
        this.from = from;
    }

    /** {@code o[r·c + j] = x[r·c + j] + row[j]} for the {@code rows} rows of {@code c} columns. */
    static void addRow(CpuExecutor ex, float[] x, float[] row, float[] o, int rows, int c) {
        ElementJob job = start(ex, ADD_ROW, rows, rows * c, MIN_PARALLEL);
        job.rowLength = c;
        job.f0 = x;
        job.f1 = row;
        job.f2 = o;
        job.go(ex);
    }

    /** {@code o[r·c + j] = x[r·c + j] + row[j]} for the {@code rows} rows of {@code c} columns. */
    static void addRow(CpuExecutor ex, double[] x, double[] row, double[] o, int rows, int c) {
        ElementJob job = start(ex, ADD_ROW, rows, rows * c, MIN_PARALLEL);
        job.rowLength = c;
        job.d0 = x;
        job.d1 = row;
        job.d2 = o;
        job.go(ex);
    }

    /**
     * {@code out[j] = Σ_r x[r·c + j] + beta·out[j]}, summed in double in row order (beta 0: out's old values ignored),
     * split by columns.
     */
    static void sumRows(CpuExecutor ex, float[] x, int rows, int c, double beta, float[] out) {
        ElementJob job = start(ex, SUM_ROWS, c, rows * c, MIN_PARALLEL);
        job.rowLength = c;
        job.from = rows;
        job.ds = beta;
        job.f0 = x;
        job.f1 = out;
        job.go(ex);
    }

    /** {@code out[j] = Σ_r x[r·c + j] + beta·out[j]}, as the float version. */
    static void sumRows(CpuExecutor ex, double[] x, int rows, int c, double beta, double[] out) {
        ElementJob job = start(ex, SUM_ROWS, c, rows * c, MIN_PARALLEL);
        job.rowLength = c;
        job.from = rows;
        job.ds = beta;
        job.d0 = x;
        job.d1 = out;
        job.go(ex);
    }

    @Override
    public void run(int part) {
        int lo = (int) ((long) length * part / parts);
        int hi = (int) ((long) length * (part + 1) / parts);
        boolean single = f0 != null;
        switch (op) {
            case FILL:
                if (single) {
                    Arrays.fill(f0, lo, hi, fs);
                } else {
                    Arrays.fill(d0, lo, hi, ds);
                }
                break;
            case AXPY:
                if (single) {
                    axpyF(fs, f0, f1, lo, hi);
                } else {
                    axpyD(ds, d0, d1, lo, hi);
                }
                break;
            case RELU:
                if (single) {
                    reluF(f0, f1, lo, hi);
                } else {
                    reluD(d0, d1, lo, hi);
                }
                break;
            case RELU_BACKWARD:
                if (single) {
                    kernels.reluBackward(f0, f1, f2, lo, hi);
                } else {
                    kernels.reluBackward(d0, d1, d2, lo, hi);
                }
                break;
            case ALL_FINITE:
                bad[part] = single ? !kernels.allFinite(f0, lo, hi) : !kernels.allFinite(d0, lo, hi);
                break;
            case GATHER:
                int touched = 0;
                for (int r = lo; r < hi; r++) {
                    if (r + GATHER_AHEAD < hi) {
                        // read one byte per cache line of a row a few rows ahead: the loads miss and overlap with this
                        // row's conversion, so the rows arrive from memory in parallel (Java has no prefetch)
                        int ahead = indices[from + r + GATHER_AHEAD] * rowLength;
                        for (int q = 0; q < rowLength; q += 64) {
                            touched += bytes[ahead + q];
                        }
                    }
                    int src = indices[from + r] * rowLength;
                    if (single) {
                        kernels.bytes(bytes, src, fs, f0, r * rowLength, rowLength);
                    } else {
                        kernels.bytes(bytes, src, ds, d0, r * rowLength, rowLength);
                    }
                }
                sink = touched;
                break;
            case ADD_ROW:
                if (single) {
                    addRowF(f0, f1, f2, rowLength, lo, hi);
                } else {
                    addRowD(d0, d1, d2, rowLength, lo, hi);
                }
                break;
            case SUM_ROWS:
                sumRows(lo, hi);
                break;
            default:
                throw new IllegalStateException("unknown element op " + op);
        }
    }

    /** Columns {@code [lo, hi)} of SUM_ROWS: {@link #from} holds the row count, {@link #rowLength} the columns. */
    private void sumRows(int lo, int hi) {
        int rows = from;
        int c = rowLength;
        double[] acc = Scratch.first(hi - lo);
        Arrays.fill(acc, 0, hi - lo, 0.0);
        if (f0 != null) {
            for (int i = 0; i < rows; i++) {
                int o = i * c;
                for (int j = lo; j < hi; j++) {
                    acc[j - lo] += f0[o + j];
                }
            }
            for (int j = lo; j < hi; j++) {
                f1[j] = (float) (ds != 0 ? acc[j - lo] + ds * f1[j] : acc[j - lo]);
            }
        } else {
            for (int i = 0; i < rows; i++) {
                int o = i * c;
                for (int j = lo; j < hi; j++) {
                    acc[j - lo] += d0[o + j];
                }
            }
            for (int j = lo; j < hi; j++) {
                d1[j] = ds != 0 ? acc[j - lo] + ds * d1[j] : acc[j - lo];
            }
        }
    }

    private static void axpyF(float a, float[] x, float[] y, int lo, int hi) {
        for (int i = lo; i < hi; i++) {
            y[i] += a * x[i];
        }
    }

    private static void axpyD(double a, double[] x, double[] y, int lo, int hi) {
        for (int i = lo; i < hi; i++) {
            y[i] += a * x[i];
        }
    }

    private static void reluF(float[] x, float[] o, int lo, int hi) {
        for (int i = lo; i < hi; i++) {
            o[i] = Math.max(x[i], 0f);
        }
    }

    private static void reluD(double[] x, double[] o, int lo, int hi) {
        for (int i = lo; i < hi; i++) {
            o[i] = Math.max(x[i], 0.0);
        }
    }

    private static void addRowF(float[] x, float[] row, float[] o, int c, int lo, int hi) {
        for (int r = lo; r < hi; r++) {
            int b = r * c;
            for (int j = 0; j < c; j++) {
                o[b + j] = x[b + j] + row[j];
            }
        }
    }

    private static void addRowD(double[] x, double[] row, double[] o, int c, int lo, int hi) {
        for (int r = lo; r < hi; r++) {
            int b = r * c;
            for (int j = 0; j < c; j++) {
                o[b + j] = x[b + j] + row[j];
            }
        }
    }
}
