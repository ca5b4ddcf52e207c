package org.nnj.core.cpu;

/**
 * One gemm call handed to the {@link CpuExecutor}: the operands, the {@link GemmPlan} and the kernel. One instance per
 * calling thread is reused for every call, so that a gemm allocates nothing once warmed up; the array references are
 * dropped when the call returns.
 */
final class GemmJob implements CpuExecutor.Part {
    private static final ThreadLocal<GemmJob> JOBS = ThreadLocal.withInitial(GemmJob::new);

    private final GemmPlan plan = new GemmPlan();
    private GemmKernel kernel;
    private boolean transA;
    private boolean transB;
    private int m;
    private int n;
    private int k;
    private float alpha32;
    private float beta32;
    private float[] a32;
    private float[] b32;
    private float[] c32;
    private double alpha64;
    private double beta64;
    private double[] a64;
    private double[] b64;
    private double[] c64;

    private GemmJob() {
    }

    /** {@code c = alpha·op(a)·op(b) + beta·c} in float32 on the executor's threads; see {@link GemmF32}. */
    static void f32(CpuExecutor executor, GemmKernel kernel, boolean transA, boolean transB, int m, int n, int k,
                    float alpha, float[] a, float[] b, float beta, float[] c) {
        GemmJob job = JOBS.get();
        job.shape(kernel, transA, transB, m, n, k);
        job.alpha32 = alpha;
        job.beta32 = beta;
        job.a32 = a;
        job.b32 = b;
        job.c32 = c;
        job.plan.plan(m, n, k, executor.threads(), kernel.rowTile(n), kernel.colTile(true));
        try {
            executor.run(job.plan.parts(), job);
        } finally {
            job.a32 = null;
            job.b32 = null;
            job.c32 = null;
        }
    }

    /** {@code c = alpha·op(a)·op(b) + beta·c} in float64 on the executor's threads; see {@link GemmF64}. */
    static void f64(CpuExecutor executor, GemmKernel kernel, boolean transA, boolean transB, int m, int n, int k,
                    double alpha, double[] a, double[] b, double beta, double[] c) {
        GemmJob job = JOBS.get();
        job.shape(kernel, transA, transB, m, n, k);
        job.alpha64 = alpha;
        job.beta64 = beta;
        job.a64 = a;
        job.b64 = b;
        job.c64 = c;
        job.plan.plan(m, n, k, executor.threads(), kernel.rowTile(n), kernel.colTile(false));
        try {
            executor.run(job.plan.parts(), job);
        } finally {
            job.a64 = null;
            job.b64 = null;
            job.c64 = null;
        }
    }

    private void shape(GemmKernel kernel, boolean transA, boolean transB, int m, int n, int k) {
        this.kernel = kernel;
        this.transA = transA;
        this.transB = transB;
        this.m = m;
        this.n = n;
        this.k = k;
    }

    @Override
    public void run(int part) {
        int i0 = plan.rowStart(part);
        int i1 = plan.rowEnd(part);
        int j0 = plan.colStart(part);
        int j1 = plan.colEnd(part);
        if (c32 != null) {
            kernel.f32(transA, transB, m, n, k, alpha32, a32, b32, beta32, c32, i0, i1, j0, j1);
        } else {
            kernel.f64(transA, transB, m, n, k, alpha64, a64, b64, beta64, c64, i0, i1, j0, j1);
        }
    }
}
