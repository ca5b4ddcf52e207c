package org.nnj.openblas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nnj.api.Backend;
import org.nnj.api.DType;
import org.nnj.api.Settings;
import org.nnj.api.Shape;
import org.nnj.api.ShapeException;
import org.nnj.api.Tensor;
import org.nnj.core.Registry;
import org.nnj.core.cpu.CpuBackend;

/** The openblas backend against the cpu backend; skipped where the OpenBLAS natives cannot load. */
class OpenBlasBackendTest {
    private static OpenBlasBackend blas;
    private static CpuBackend cpu;

    @BeforeAll
    static void open() {
        try {
            blas = new OpenBlasBackend(2);
        } catch (LinkageError e) {
            Assumptions.abort("OpenBLAS natives cannot load here: " + e);
        }
        cpu = new CpuBackend(2);
    }

    @AfterAll
    static void close() {
        if (blas != null) {
            blas.close();
        }
        if (cpu != null) {
            cpu.close();
        }
    }

    static Stream<Arguments> cases() {
        Stream.Builder<Arguments> b = Stream.builder();
        for (DType dt : DType.values()) {
            for (boolean ta : new boolean[] {false, true}) {
                for (boolean tb : new boolean[] {false, true}) {
                    b.add(Arguments.of(dt, ta, tb));
                }
            }
        }
        return b.build();
    }

    private static double[] random(Random r, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextGaussian();
        }
        return v;
    }

    @ParameterizedTest(name = "{0} transA={1} transB={2}")
    @MethodSource("cases")
    void gemmMatchesTheCpuBackend(DType dt, boolean transA, boolean transB) {
        Random r = new Random(42);
        // sizes that are not multiples of any block, large enough for OpenBLAS to take its threaded path
        for (int[] mnk : new int[][] {{1, 1, 1}, {3, 5, 7}, {37, 53, 129}, {200, 130, 300}}) {
            int m = mnk[0];
            int n = mnk[1];
            int k = mnk[2];
            Shape sa = transA ? Shape.of(k, m) : Shape.of(m, k);
            Shape sb = transB ? Shape.of(n, k) : Shape.of(k, n);
            double[] av = random(r, m * k);
            double[] bv = random(r, k * n);
            double[] cv = random(r, m * n);
            for (double beta : new double[] {0, 1, -0.5}) {
                Tensor c1 = cpu.fromArray(dt, Shape.of(m, n), cv);
                Tensor c2 = blas.fromArray(dt, Shape.of(m, n), cv);
                if (beta == 0) {
                    blas.fill(c2, Double.NaN); // beta = 0 ignores c's old contents, even NaN
                }
                cpu.gemm(transA, transB, 1.5, cpu.fromArray(dt, sa, av), cpu.fromArray(dt, sb, bv), beta, c1);
                blas.gemm(transA, transB, 1.5, blas.fromArray(dt, sa, av), blas.fromArray(dt, sb, bv), beta, c2);
                double tol = (dt == DType.FLOAT32 ? 2e-5 : 1e-12) * Math.sqrt(k) * 4;
                double[] e = c1.toDoubleArray();
                double[] g = c2.toDoubleArray();
                for (int i = 0; i < e.length; i++) {
                    assertEquals(e[i], g[i], tol * Math.max(1, Math.abs(e[i])),
                            dt + " " + m + "x" + n + "x" + k + " beta " + beta + " at " + i);
                }
            }
        }
    }

    @Test
    void gemmOnReshapedViewsAndEmptyInner() {
        Tensor a = blas.fromArray(DType.FLOAT32, Shape.of(2, 3), 1, 2, 3, 4, 5, 6);
        Tensor b = blas.fromArray(DType.FLOAT32, Shape.of(6), 1, 0, 0, 1, 1, 1).reshape(Shape.of(3, 2));
        Tensor c = blas.zeros(DType.FLOAT32, Shape.of(2, 1, 2));
        blas.gemm(false, false, 1, a, b, 0, c);
        assertEquals(java.util.List.of(4.0, 5.0, 10.0, 11.0),
                java.util.Arrays.stream(c.toDoubleArray()).boxed().toList());
        Tensor e = blas.zeros(DType.FLOAT64, Shape.of(2, 0));
        Tensor f = blas.zeros(DType.FLOAT64, Shape.of(0, 2));
        Tensor g = blas.fromArray(DType.FLOAT64, Shape.of(2, 2), 1, 2, 3, 4);
        blas.gemm(false, false, 1, e, f, 0.5, g);
        assertEquals(java.util.List.of(0.5, 1.0, 1.5, 2.0), java.util.Arrays.stream(g.toDoubleArray()).boxed().toList());
    }

    @Test
    void badShapesAndForeignTensorsAreShapeExceptions() {
        Tensor a = blas.zeros(DType.FLOAT32, Shape.of(2, 3));
        Tensor c = blas.zeros(DType.FLOAT32, Shape.of(2, 2));
        assertThrows(ShapeException.class, () -> blas.gemm(false, false, 1, a, a, 0, c));
        assertThrows(ShapeException.class, () -> blas.gemm(false, true, 1, a, a, 0, a));
        assertThrows(ShapeException.class,
                () -> blas.gemm(false, true, 1, a, blas.zeros(DType.FLOAT64, Shape.of(2, 3)), 0, c));
        ShapeException e = assertThrows(ShapeException.class,
                () -> blas.gemm(false, true, 1, cpu.zeros(DType.FLOAT32, Shape.of(2, 3)), a, 0, c));
        assertTrue(e.getMessage().contains("'cpu'") && e.getMessage().contains("openblas"), e.getMessage());
        assertThrows(ShapeException.class, () -> blas.relu(cpu.zeros(DType.FLOAT32, Shape.of(2)), c));
    }

    @Test
    void otherOpsAreTheCpuBackendsAndTensorsNameTheOpenblasBackend() {
        Tensor x = blas.fromArray(DType.FLOAT64, Shape.of(2, 2), -1, 2, -3, 4);
        Tensor y = blas.zerosLike(x);
        blas.relu(x, y);
        assertEquals(java.util.List.of(0.0, 2.0, 0.0, 4.0), java.util.Arrays.stream(y.toDoubleArray()).boxed().toList());
        assertSame(blas, y.backend());
        assertSame(blas, y.reshape(Shape.of(4)).backend());
        assertEquals(2.0, blas.sum(x));
        y.reshape(Shape.of(4)).set(3, 7);
        assertEquals(7.0, y.get(3), "a reshape is a view");
    }

    @Test
    void registeredBelowCpuSoCpuStaysTheDefault() {
        Registry registry = Registry.load();
        assertTrue(registry.backends().all().containsKey("openblas"));
        assertTrue(registry.backends().get("openblas").rank() < registry.backends().get("cpu").rank());
        try (Backend d = registry.defaultBackend(Settings.empty());
             Backend o = registry.backend("openblas", Settings.of("threads", 1))) {
            assertEquals("cpu", d.name());
            assertEquals("openblas", o.name());
            assertEquals(1, NativeBlas.threads());
            assertFalse(o.zeros(DType.FLOAT32, Shape.of(1)) instanceof org.nnj.core.cpu.CpuTensor);
        } finally {
            NativeBlas.setThreads(2);
        }
    }
}
