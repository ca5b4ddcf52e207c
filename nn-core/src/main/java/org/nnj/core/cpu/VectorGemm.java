package org.nnj.core.cpu;

/**
 * The {@code jdk.incubator.vector} {@link GemmKernel}: {@link VectorGemmF32} and {@link VectorGemmF64}. Loaded by
 * reflection from {@link GemmKernel#best()} only when the module is present, so that nn-core runs without it.
 */
final class VectorGemm implements GemmKernel {

    /** Public for {@link GemmKernel#best()}'s reflective construction. */
    public VectorGemm() {
        // touch both species now, so that a JVM that cannot run them fails here, not in the middle of a gemm
        if (VectorGemmF32.L < 1 || VectorGemmF64.L < 1) {
            throw new IllegalStateException("no vector lanes");
        }
    }

    @Override
    public String name() {
        return "vector";
    }

    /** A narrow output runs the in-place kernels ({@code MRG} rows), any other the packed ones ({@code MR}). */
    @Override
    public int rowTile(int n) {
        return n <= VectorGemmF32.DIRECT ? VectorGemmF32.MRG : VectorGemmF32.MR;
    }

    @Override
    public int colTile(boolean float32) {
        return float32 ? VectorGemmF32.NR : VectorGemmF64.NR;
    }

    @Override
    public void f32(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, float[] b,
                    float beta, float[] c, int i0, int i1, int j0, int j1) {
        VectorGemmF32.tile(transA, transB, m, n, k, alpha, a, b, beta, c, i0, i1, j0, j1);
    }

    @Override
    public void f64(boolean transA, boolean transB, int m, int n, int k, double alpha, double[] a, double[] b,
                    double beta, double[] c, int i0, int i1, int j0, int j1) {
        VectorGemmF64.tile(transA, transB, m, n, k, alpha, a, b, beta, c, i0, i1, j0, j1);
    }

    @Override
    public String toString() {
        return "vector gemm kernel (" + VectorGemmF32.L + " float / " + VectorGemmF64.L + " double lanes, "
                + VectorGemmF32.MR + "x" + VectorGemmF32.NR + " float tile)";
    }
}
