package org.nnj.core.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nnj.api.DType;

/**
 * Each gemm kernel on its own, scalar and vector: against a naive double-precision product within a rigorous rounding
 * bound, across the block edges of the packed kernel (k beyond one k block, m beyond one row block, n beyond one
 * column block, partial register tiles), and bit-identical for one, two and three threads.
 */
class GemmKernelsTest {

    static List<GemmKernel> kernels() {
        List<GemmKernel> list = new ArrayList<>();
        list.add(GemmKernel.scalar());
        if (GemmKernel.best() != GemmKernel.scalar()) {
            list.add(GemmKernel.best());
        }
        return list;
    }

    /**
     * (m, k, n): tile edges, sizes crossing the vector kernel's KC = 256, MC = 120/72, NC = 512 blocks, narrow outputs
     * whose last 1 to 4 columns take the tail kernels ({@code n mod NR}: 33, 52, 50), and smaller versions of the
     * two-layer net's forward (100 × 784 × 50) and weight-gradient (784 × 100 × 50) shapes.
     */
    private static final int[][] SIZES = {
        {1, 1, 1}, {6, 8, 16}, {7, 9, 17}, {5, 3, 8}, {13, 300, 33}, {130, 257, 70}, {61, 40, 530}, {2, 600, 1030},
        {250, 31, 9}, {40, 90, 52}, {100, 300, 50}, {300, 100, 50},
    };

    static Stream<Arguments> cases() {
        List<Arguments> list = new ArrayList<>();
        for (GemmKernel kernel : kernels()) {
            for (DType dtype : DType.values()) {
                for (int[] s : SIZES) {
                    for (int t = 0; t < 4; t++) {
                        // alpha = 1 lets the vector kernel read narrow operands in place instead of packing them
                        for (double alpha : new double[] {1, -0.625}) {
                            list.add(Arguments.of(kernel.name(), dtype, s[0], s[1], s[2], (t & 2) != 0, (t & 1) != 0,
                                    alpha));
                        }
                    }
                }
            }
        }
        return list.stream();
    }

    private static GemmKernel kernel(String name) {
        return kernels().stream().filter(k -> k.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void theVectorKernelIsChosenWhenTheModuleIsPresent() {
        boolean present = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
        // surefire passes --add-modules jdk.incubator.vector (nn-core's pom), so the build exercises the vector path
        assertTrue(present, "tests are expected to run with --add-modules jdk.incubator.vector");
        assertEquals("vector", GemmKernel.best().name());
        try (CpuBackend backend = new CpuBackend(1)) {
            assertEquals("vector", backend.gemmKernel());
        }
        assertEquals("scalar", GemmKernel.scalar().name());
    }

    @ParameterizedTest(name = "{0} {1} ({2}x{3})·({3}x{4}) transA={5} transB={6} alpha={7}")
    @MethodSource("cases")
    void matchesDoubleReferenceAndIsBitIdenticalForAnyThreadCount(String kernelName, DType dtype, int m, int k, int n,
                                                                   boolean transA, boolean transB, double alpha) {
        GemmKernel kernel = kernel(kernelName);
        SplittableRandom rnd = new SplittableRandom(17L * m + 5L * k + n + (transA ? 1 : 0) + (transB ? 2 : 0));
        double[] a = values(m * k, rnd);
        double[] b = values(k * n, rnd);
        double[] c0 = values(m * n, rnd);
        double beta = 0.375;
        double[] expected = new double[m * n];
        double[] bound = new double[m * n];
        double u = dtype == DType.FLOAT32 ? 0x1p-24 : 0x1p-53;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                double abs = 0;
                for (int p = 0; p < k; p++) {
                    double ab = round(dtype, a[transA ? p * m + i : i * k + p])
                            * round(dtype, b[transB ? j * k + p : p * n + j]);
                    s += ab;
                    abs += Math.abs(ab);
                }
                double cij = round(dtype, c0[i * n + j]);
                expected[i * n + j] = alpha * s + beta * cij;
                bound[i * n + j] = 2 * (k + 3) * u * (Math.abs(alpha) * abs + Math.abs(beta * cij)) + 1e-300;
            }
        }
        double[] first = null;
        for (int threads = 1; threads <= 3; threads++) {
            double[] got = run(kernel, dtype, threads, transA, transB, m, n, k, alpha, a, b, beta, c0);
            if (first == null) {
                first = got;
                for (int e = 0; e < got.length; e++) {
                    double err = Math.abs(got[e] - expected[e]);
                    assertTrue(err <= bound[e], kernelName + " " + dtype + " element " + e + ": expected "
                            + expected[e] + " got " + got[e] + " (error " + err + " > bound " + bound[e] + ")");
                }
            } else {
                for (int e = 0; e < got.length; e++) {
                    assertEquals(Double.doubleToRawLongBits(first[e]), Double.doubleToRawLongBits(got[e]),
                            kernelName + " element " + e + " with " + threads + " threads");
                }
            }
        }
    }

    @Test
    void tallSkinnyIm2colShapesSplitAcrossThreadsBitIdentically() {
        // the CNN's shapes at a tenth of the batch: (5760 × 25)·(30 × 25)ᵀ and its TN and NN partners
        int[][] shapes = {{5760, 25, 30, 1}, {30, 5760, 25, 2}, {5760, 30, 25, 0}};
        for (GemmKernel kernel : kernels()) {
            for (DType dtype : DType.values()) {
                for (int[] s : shapes) {
                    boolean transA = s[3] == 2;
                    boolean transB = s[3] == 1;
                    SplittableRandom rnd = new SplittableRandom(3);
                    double[] a = values(s[0] * s[1], rnd);
                    double[] b = values(s[1] * s[2], rnd);
                    double[] c0 = new double[s[0] * s[2]];
                    double[] one = run(kernel, dtype, 1, transA, transB, s[0], s[2], s[1], 1, a, b, 0, c0);
                    double[] two = run(kernel, dtype, 2, transA, transB, s[0], s[2], s[1], 1, a, b, 0, c0);
                    for (int e = 0; e < one.length; e++) {
                        assertEquals(Double.doubleToRawLongBits(one[e]), Double.doubleToRawLongBits(two[e]),
                                kernel.name() + " " + dtype + " element " + e);
                    }
                }
            }
        }
    }

    /**
     * The vector kernel's documented rounding, element by element and bit for bit: {@code c = beta·c} (0 when beta is
     * 0), then {@code c = fma(alpha·op(a)[i,p], op(b)[p,j], c)} for p in order, whatever the register tile (the packed
     * 8-row tiles, the in-place 6-row ones, partial tiles) and the thread count. Only the dot-product tail (the last
     * 1–4 columns of a narrow output with {@code op(a) = a} and k ≥ 64) sums in another, documented order, so
     * those columns are left to the bound test above.
     */
    @Test
    void vectorKernelRoundsEveryElementAsOneFmaChainInOrder() {
        GemmKernel kernel = GemmKernel.best();
        int[][] sizes = {{100, 300, 50}, {300, 100, 50}, {61, 40, 530}, {130, 257, 70}, {7, 9, 17}, {29, 600, 96}};
        for (DType dtype : DType.values()) {
            for (int[] s : sizes) {
                int m = s[0];
                int k = s[1];
                int n = s[2];
                int pw = dtype == DType.FLOAT32 ? VectorGemmF32.panelWidth(n) : VectorGemmF64.panelWidth(n);
                int tail = n % pw;
                for (int t = 0; t < 4; t++) {
                    boolean transA = (t & 2) != 0;
                    boolean transB = (t & 1) != 0;
                    boolean dotTail = !transA && n <= VectorGemmF32.DIRECT && tail > 0 && tail <= VectorGemmF32.TAIL
                            && k >= VectorGemmF32.DOT_MIN_K;
                    for (double alpha : new double[] {1, -0.625}) {
                        for (double beta : new double[] {0, 0.375}) {
                            SplittableRandom rnd = new SplittableRandom(31L * m + k + n + t);
                            double[] a = values(m * k, rnd);
                            double[] b = values(k * n, rnd);
                            double[] c0 = values(m * n, rnd);
                            for (int threads = 1; threads <= 2; threads++) {
                                double[] got = run(kernel, dtype, threads, transA, transB, m, n, k, alpha, a, b, beta,
                                        c0);
                                for (int i = 0; i < m; i++) {
                                    for (int j = 0; j < (dotTail ? n - tail : n); j++) {
                                        double want = fmaChain(dtype, transA, transB, m, n, k, alpha, a, b, beta,
                                                c0[i * n + j], i, j);
                                        assertEquals(Double.doubleToRawLongBits(want),
                                                Double.doubleToRawLongBits(got[i * n + j]), dtype + " " + m + "x" + k
                                                        + "x" + n + " transA=" + transA + " transB=" + transB
                                                        + " alpha=" + alpha + " beta=" + beta + " threads=" + threads
                                                        + " element (" + i + ", " + j + ")");
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /** Element (i, j) as the vector kernel documents it, in the dtype's own arithmetic. */
    private static double fmaChain(DType dtype, boolean transA, boolean transB, int m, int n, int k, double alpha,
                                   double[] a, double[] b, double beta, double c, int i, int j) {
        if (dtype == DType.FLOAT32) {
            float acc = beta == 0 ? 0f : (float) beta * (float) c;
            for (int p = 0; p < k; p++) {
                float ap = (float) alpha * (float) a[transA ? p * m + i : i * k + p];
                acc = Math.fma(ap, (float) b[transB ? j * k + p : p * n + j], acc);
            }
            return acc;
        }
        double acc = beta == 0 ? 0 : beta * c;
        for (int p = 0; p < k; p++) {
            acc = Math.fma(alpha * a[transA ? p * m + i : i * k + p], b[transB ? j * k + p : p * n + j], acc);
        }
        return acc;
    }

    private static double[] run(GemmKernel kernel, DType dtype, int threads, boolean transA, boolean transB, int m,
                                int n, int k, double alpha, double[] a, double[] b, double beta, double[] c0) {
        CpuExecutor executor = new CpuExecutor(threads);
        try {
            double[] out = new double[m * n];
            if (dtype == DType.FLOAT32) {
                float[] c = floats(c0);
                GemmJob.f32(executor, kernel, transA, transB, m, n, k, (float) alpha, floats(a), floats(b),
                        (float) beta, c);
                for (int i = 0; i < out.length; i++) {
                    out[i] = c[i];
                }
            } else {
                double[] c = c0.clone();
                GemmJob.f64(executor, kernel, transA, transB, m, n, k, alpha, a, b, beta, c);
                out = c;
            }
            return out;
        } finally {
            executor.shutdown();
        }
    }

    private static double round(DType dtype, double v) {
        return dtype == DType.FLOAT32 ? (float) v : v;
    }

    private static float[] floats(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }

    private static double[] values(int size, SplittableRandom rnd) {
        double[] v = new double[size];
        for (int i = 0; i < v.length; i++) {
            v[i] = rnd.nextDouble(-1, 1);
        }
        return v;
    }
}
