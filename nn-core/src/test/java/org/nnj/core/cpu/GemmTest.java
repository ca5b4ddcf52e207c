package org.nnj.core.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nnj.api.DType;
import org.nnj.api.Shape;
import org.nnj.api.ShapeException;
import org.nnj.api.Tensor;

class GemmTest {
    private static final CpuBackend ONE = new CpuBackend(1);
    private static final CpuBackend TWO = new CpuBackend(2);
    private static final CpuBackend THREE = new CpuBackend(3);

    @AfterAll
    static void close() {
        ONE.close();
        TWO.close();
        THREE.close();
    }

    /** (m, k, n): odd sizes, and sizes that are not multiples of the k or column block or of the unrolling. */
    private static final int[][] SIZES = {
        {1, 1, 1}, {3, 5, 7}, {100, 784, 50}, {33, 300, 517}, {2, 259, 600}, {7, 3, 1}, {5, 0, 4}, {0, 3, 2},
    };

    static Stream<Arguments> cases() {
        List<Arguments> list = new ArrayList<>();
        for (DType dtype : DType.values()) {
            for (int[] s : SIZES) {
                for (int t = 0; t < 4; t++) {
                    list.add(Arguments.of(dtype, s[0], s[1], s[2], (t & 2) != 0, (t & 1) != 0));
                }
            }
        }
        return list.stream();
    }

    @ParameterizedTest(name = "{0} ({1}x{2})·({2}x{3}) transA={4} transB={5}")
    @MethodSource("cases")
    void matchesNaiveTripleLoop(DType dtype, int m, int k, int n, boolean transA, boolean transB) {
        SplittableRandom rnd = new SplittableRandom(31L * m + 7L * k + n);
        Tensor a = random(ONE, dtype, transA ? Shape.of(k, m) : Shape.of(m, k), rnd);
        Tensor b = random(ONE, dtype, transB ? Shape.of(n, k) : Shape.of(k, n), rnd);
        Tensor c = random(ONE, dtype, Shape.of(m, n), rnd);
        double alpha = 0.75;
        double beta = -1.5;
        double[] c0 = c.toDoubleArray();
        for (CpuBackend backend : new CpuBackend[] {ONE, THREE}) {
            backend.copy(ONE.fromArray(dtype, c.shape(), c0), c);
            backend.gemm(transA, transB, alpha, a, b, beta, c);
            assertClose(dtype, naive(transA, transB, alpha, a, b, beta, c0, m, k, n), bound(a, b, c0, alpha, beta,
                    transA, transB, m, k, n), c.toDoubleArray());
        }
    }

    @Test
    void knownSmallProductInEveryTransposeCombination() {
        for (DType dtype : DType.values()) {
            // a = [[1,2,3],[4,5,6]], b = [[7,8],[9,10],[11,12]]: a·b = [[58,64],[139,154]]
            double[] expected = {58, 64, 139, 154};
            Tensor a = ONE.fromArray(dtype, Shape.of(2, 3), 1, 2, 3, 4, 5, 6);
            Tensor at = ONE.fromArray(dtype, Shape.of(3, 2), 1, 4, 2, 5, 3, 6);
            Tensor b = ONE.fromArray(dtype, Shape.of(3, 2), 7, 8, 9, 10, 11, 12);
            Tensor bt = ONE.fromArray(dtype, Shape.of(2, 3), 7, 9, 11, 8, 10, 12);
            Tensor c = ONE.zeros(dtype, Shape.of(2, 2));
            ONE.gemm(false, false, 1, a, b, 0, c);
            assertArrayEquals(expected, c.toDoubleArray());
            ONE.gemm(true, false, 1, at, b, 0, c);
            assertArrayEquals(expected, c.toDoubleArray());
            ONE.gemm(false, true, 1, a, bt, 0, c);
            assertArrayEquals(expected, c.toDoubleArray());
            ONE.gemm(true, true, 1, at, bt, 0, c);
            assertArrayEquals(expected, c.toDoubleArray());
            // beta = 1 accumulates, alpha scales
            ONE.gemm(false, false, 2, a, b, 1, c);
            assertArrayEquals(new double[] {174, 192, 417, 462}, c.toDoubleArray());
        }
    }

    @Test
    void betaZeroIgnoresNaNAndInfinityInC() {
        for (DType dtype : DType.values()) {
            Tensor a = ONE.fromArray(dtype, Shape.of(1, 2), 1, 2);
            Tensor b = ONE.fromArray(dtype, Shape.of(2, 2), 3, 4, 5, 6);
            for (CpuBackend backend : new CpuBackend[] {ONE, THREE}) {
                Tensor c = backend.fromArray(dtype, Shape.of(1, 2), Double.NaN, Double.POSITIVE_INFINITY);
                backend.gemm(false, false, 1, a, b, 0, c);
                assertArrayEquals(new double[] {13, 16}, c.toDoubleArray());
            }
        }
    }

    @Test
    void zeroInnerDimensionLeavesBetaTimesC() {
        Tensor a = ONE.zeros(DType.FLOAT64, Shape.of(2, 0));
        Tensor b = ONE.zeros(DType.FLOAT64, Shape.of(0, 2));
        Tensor c = ONE.fromArray(DType.FLOAT64, Shape.of(2, 2), 1, 2, 3, 4);
        ONE.gemm(false, false, 1, a, b, 0.5, c);
        assertArrayEquals(new double[] {0.5, 1, 1.5, 2}, c.toDoubleArray());
    }

    @Test
    void higherRankTensorsAreTheirMatrixViews() {
        // (2, 1, 3) is a 2×3 matrix
        Tensor a = ONE.fromArray(DType.FLOAT64, Shape.of(2, 1, 3), 1, 2, 3, 4, 5, 6);
        Tensor b = ONE.fromArray(DType.FLOAT64, Shape.of(3, 2), 7, 8, 9, 10, 11, 12);
        Tensor c = ONE.zeros(DType.FLOAT64, Shape.of(2, 2));
        ONE.gemm(false, false, 1, a, b, 0, c);
        assertArrayEquals(new double[] {58, 64, 139, 154}, c.toDoubleArray());
    }

    static Stream<Arguments> threadCases() {
        List<Arguments> list = new ArrayList<>();
        int[][] sizes = {{100, 784, 50}, {2, 259, 600}, {64, 130, 70}, {9, 17, 1000}};
        for (DType dtype : DType.values()) {
            for (int[] s : sizes) {
                for (int t = 0; t < 4; t++) {
                    list.add(Arguments.of(dtype, s[0], s[1], s[2], (t & 2) != 0, (t & 1) != 0));
                }
            }
        }
        return list.stream();
    }

    @ParameterizedTest(name = "{0} ({1}x{2})·({2}x{3}) transA={4} transB={5}")
    @MethodSource("threadCases")
    void bitIdenticalForOneTwoAndThreeThreads(DType dtype, int m, int k, int n, boolean transA, boolean transB) {
        SplittableRandom rnd = new SplittableRandom(1234);
        Tensor a = random(ONE, dtype, transA ? Shape.of(k, m) : Shape.of(m, k), rnd);
        Tensor b = random(ONE, dtype, transB ? Shape.of(n, k) : Shape.of(k, n), rnd);
        double[] c0 = random(ONE, dtype, Shape.of(m, n), rnd).toDoubleArray();
        double[][] results = new double[3][];
        CpuBackend[] backends = {ONE, TWO, THREE};
        for (int i = 0; i < 3; i++) {
            Tensor c = backends[i].fromArray(dtype, Shape.of(m, n), c0);
            backends[i].gemm(transA, transB, 0.3, a, b, 0.7, c);
            results[i] = c.toDoubleArray();
        }
        for (int i = 1; i < 3; i++) {
            for (int e = 0; e < results[0].length; e++) {
                assertEquals(Double.doubleToRawLongBits(results[0][e]), Double.doubleToRawLongBits(results[i][e]),
                        "element " + e + " with " + backends[i].threads() + " threads");
            }
        }
    }

    @Test
    void closedBackendStillComputesOnTheCallersThread() {
        CpuBackend backend = new CpuBackend(2);
        backend.close();
        backend.close();
        Tensor a = backend.fromArray(DType.FLOAT32, Shape.of(1, 1), 3);
        Tensor c = backend.zeros(DType.FLOAT32, Shape.of(1, 1));
        backend.gemm(false, false, 1, a, a, 0, c);
        assertEquals(9.0, c.item());
    }

    @Test
    void errorMessagesNameTheOperationAndShapes() {
        Tensor a = ONE.zeros(DType.FLOAT32, Shape.of(100, 784));
        Tensor b = ONE.zeros(DType.FLOAT32, Shape.of(50, 10));
        Tensor c = ONE.zeros(DType.FLOAT32, Shape.of(100, 10));
        assertMessage("gemm: op(a) (100, 784) times op(b) (50, 10): inner dimensions 784 and 50 differ",
                () -> ONE.gemm(false, false, 1, a, b, 0, c));
        assertMessage("gemm: op(a) (784, 100) times op(b) (10, 50): inner dimensions 100 and 10 differ",
                () -> ONE.gemm(true, true, 1, a, b, 0, c));
        Tensor w = ONE.zeros(DType.FLOAT32, Shape.of(784, 50));
        assertMessage("gemm: op(a) (100, 784) times op(b) (784, 50) is (100, 50), but c is (100, 10)",
                () -> ONE.gemm(false, false, 1, a, w, 0, c));
        Tensor w64 = ONE.zeros(DType.FLOAT64, Shape.of(784, 50));
        assertMessage("gemm: a (100, 784) is float32 but b (784, 50) is float64",
                () -> ONE.gemm(false, false, 1, a, w64, 0, c));
        Tensor sq = ONE.zeros(DType.FLOAT32, Shape.of(3, 3));
        Tensor b3 = ONE.zeros(DType.FLOAT32, Shape.of(3, 3));
        assertMessage("gemm: c (3, 3) shares storage with a (3, 3)",
                () -> ONE.gemm(false, false, 1, sq.reshape(Shape.of(3, 3)), b3, 0, sq));
    }

    static void assertMessage(String expected, org.junit.jupiter.api.function.Executable call) {
        ShapeException e = assertThrows(ShapeException.class, call);
        assertEquals(expected, e.getMessage());
    }

    static Tensor random(CpuBackend backend, DType dtype, Shape shape, SplittableRandom rnd) {
        double[] v = new double[shape.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = rnd.nextDouble(-1, 1);
        }
        return backend.fromArray(dtype, shape, v);
    }

    private static double opA(double[] a, boolean trans, int m, int k, int i, int p) {
        return trans ? a[p * m + i] : a[i * k + p];
    }

    private static double opB(double[] b, boolean trans, int k, int n, int p, int j) {
        return trans ? b[j * k + p] : b[p * n + j];
    }

    private static double[] naive(boolean transA, boolean transB, double alpha, Tensor a, Tensor b, double beta,
                                  double[] c0, int m, int k, int n) {
        double[] av = a.toDoubleArray();
        double[] bv = b.toDoubleArray();
        double[] c = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    s += opA(av, transA, m, k, i, p) * opB(bv, transB, k, n, p, j);
                }
                c[i * n + j] = alpha * s + beta * c0[i * n + j];
            }
        }
        return c;
    }

    /** A rigorous bound on the rounding error of any summation order: (k + 3)·u·(|alpha|·Σ|a·b| + |beta·c|). */
    private static double[] bound(Tensor a, Tensor b, double[] c0, double alpha, double beta, boolean transA,
                                  boolean transB, int m, int k, int n) {
        double[] av = a.toDoubleArray();
        double[] bv = b.toDoubleArray();
        double u = a.dtype() == DType.FLOAT32 ? 0x1p-24 : 0x1p-53;
        double[] e = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    s += Math.abs(opA(av, transA, m, k, i, p) * opB(bv, transB, k, n, p, j));
                }
                e[i * n + j] = 2 * (k + 3) * u * (Math.abs(alpha) * s + Math.abs(beta * c0[i * n + j])) + 1e-300;
            }
        }
        return e;
    }

    private static void assertClose(DType dtype, double[] expected, double[] bound, double[] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            double err = Math.abs(expected[i] - actual[i]);
            assertTrue(err <= bound[i], dtype + " element " + i + ": expected " + expected[i] + " got " + actual[i]
                    + " (error " + err + " > bound " + bound[i] + ")");
        }
    }
}
