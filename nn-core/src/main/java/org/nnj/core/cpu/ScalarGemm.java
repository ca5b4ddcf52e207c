package org.nnj.core.cpu;

/** The plain-Java {@link GemmKernel}: {@link GemmF32#tile} and {@link GemmF64#tile}. */
final class ScalarGemm implements GemmKernel {
    static final ScalarGemm INSTANCE = new ScalarGemm();

    private ScalarGemm() {
    }

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public int rowTile(int n) {
        return 1;
    }

    @Override
    public int colTile(boolean float32) {
        return 16;
    }

    @Override
    public void f32(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, float[] b,
                    float beta, float[] c, int i0, int i1, int j0, int j1) {
        GemmF32.tile(transA, transB, m, n, k, alpha, a, b, beta, c, i0, i1, j0, j1);
    }

    @Override
    public void f64(boolean transA, boolean transB, int m, int n, int k, double alpha, double[] a, double[] b,
                    double beta, double[] c, int i0, int i1, int j0, int j1) {
        GemmF64.tile(transA, transB, m, n, k, alpha, a, b, beta, c, i0, i1, j0, j1);
    }

    @Override
    public String toString() {
        return "scalar gemm kernel";
    }
}
