package org.nnj.core.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nnj.api.DType;
import org.nnj.api.Shape;
import org.nnj.api.Tensor;

/**
 * The vector element-wise kernels give exactly the scalar ones' results (ranges with partial vectors at both ends,
 * NaN, infinities and signed zeros included), and the element-wise loops that split over threads give the same bits
 * for one and two threads at lengths above the split threshold.
 */
class ElementKernelsTest {
    private static final ElementKernels SCALAR = ElementKernels.scalar();
    private static final ElementKernels BEST = ElementKernels.best();

    @Test
    void theVectorKernelsAreChosenWhenTheModuleIsPresent() {
        // surefire runs with --add-modules jdk.incubator.vector, so the comparisons below test the vector code
        assertEquals("vector", BEST.name());
        assertEquals("scalar", SCALAR.name());
    }

    private static float[] floats(int n, SplittableRandom r) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) r.nextDouble(-2, 2);
        }
        x[n / 3] = -0f;
        x[n / 2] = 0f;
        return x;
    }

    private static double[] doubles(int n, SplittableRandom r) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = r.nextDouble(-2, 2);
        }
        x[n / 3] = -0.0;
        x[n / 2] = 0.0;
        return x;
    }

    @Test
    void reluBackwardMatchesTheScalarSelectBitForBit() {
        SplittableRandom r = new SplittableRandom(1);
        for (int n : new int[] {1, 7, 8, 9, 33, 1000}) {
            float[] y = floats(n, r);
            float[] d = floats(n, r);
            y[0] = Float.NaN;
            d[n - 1] = Float.NaN;
            double[] yd = doubles(n, r);
            double[] dd = doubles(n, r);
            yd[0] = Double.NaN;
            dd[n - 1] = Double.POSITIVE_INFINITY;
            for (int from : new int[] {0, Math.min(3, n)}) {
                float[] want = new float[n];
                float[] got = new float[n];
                SCALAR.reluBackward(y, d, want, from, n);
                BEST.reluBackward(y, d, got, from, n);
                assertArrayEquals(want, got, "float n=" + n + " from=" + from);
                double[] wantD = new double[n];
                double[] gotD = new double[n];
                SCALAR.reluBackward(yd, dd, wantD, from, n);
                BEST.reluBackward(yd, dd, gotD, from, n);
                assertArrayEquals(wantD, gotD, "double n=" + n + " from=" + from);
            }
        }
    }

    @Test
    void allFiniteFindsOneBadElementAnywhere() {
        for (int n : new int[] {1, 5, 16, 17, 100}) {
            float[] x = new float[n];
            double[] xd = new double[n];
            java.util.Arrays.fill(x, 1e30f);
            java.util.Arrays.fill(xd, 1e300);
            assertTrue(BEST.allFinite(x, 0, n) && SCALAR.allFinite(x, 0, n));
            assertTrue(BEST.allFinite(xd, 0, n) && SCALAR.allFinite(xd, 0, n));
            for (int at = 0; at < n; at++) {
                for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
                    x[at] = bad;
                    xd[at] = bad;
                    assertFalse(BEST.allFinite(x, 0, n), "float n=" + n + " at " + at);
                    assertFalse(SCALAR.allFinite(x, 0, n), "float n=" + n + " at " + at);
                    assertFalse(BEST.allFinite(xd, 0, n), "double n=" + n + " at " + at);
                    assertFalse(SCALAR.allFinite(xd, 0, n), "double n=" + n + " at " + at);
                    // outside the range it does not count
                    assertTrue(BEST.allFinite(x, 0, at) && BEST.allFinite(xd, 0, at), "prefix before " + at);
                    x[at] = 1e30f;
                    xd[at] = 1e300;
                }
            }
        }
    }

    @Test
    void bytesToFloatsAndDoublesMatchTheScalarConversion() {
        byte[] src = new byte[1000];
        new SplittableRandom(3).nextBytes(src);
        src[5] = (byte) 0xFF;
        src[6] = (byte) 0x80;
        for (int len : new int[] {0, 1, 7, 8, 9, 15, 16, 17, 784}) {
            for (int off : new int[] {0, 3}) {
                float[] want = new float[len + 2];
                float[] got = new float[len + 2];
                SCALAR.bytes(src, off, 1f / 255, want, 1, len);
                BEST.bytes(src, off, 1f / 255, got, 1, len);
                assertArrayEquals(want, got, "float len=" + len);
                double[] wantD = new double[len + 2];
                double[] gotD = new double[len + 2];
                SCALAR.bytes(src, off, 1.0 / 255, wantD, 1, len);
                BEST.bytes(src, off, 1.0 / 255, gotD, 1, len);
                assertArrayEquals(wantD, gotD, "double len=" + len);
                if (len > 6) {
                    assertEquals(1f, got[1 + 5 - off], 0f, "0xFF is 255, not -1");
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void longElementWiseLoopsGiveTheSameBitsOnOneAndTwoThreads(DType dtype) {
        int rows = 300;
        int cols = 400; // 120,000 elements: above the split threshold
        double[] r1 = run(1, dtype, rows, cols);
        double[] r2 = run(2, dtype, rows, cols);
        assertArrayEquals(r1, r2);
    }

    /** fill, gather, addRow, relu, reluBackward, axpy, allFinite and sumRows, their results concatenated. */
    private static double[] run(int threads, DType dtype, int rows, int cols) {
        try (CpuBackend cpu = new CpuBackend(threads)) {
            SplittableRandom r = new SplittableRandom(9);
            byte[] images = new byte[(rows + 50) * cols];
            r.nextBytes(images);
            int[] order = new int[rows + 50];
            for (int i = 0; i < order.length; i++) {
                order[i] = (i * 37) % order.length;
            }
            Shape s = Shape.of(rows, cols);
            Tensor x = cpu.zeros(dtype, s);
            cpu.fill(x, 3.25);
            assertEquals(3.25, x.get(rows * cols - 1));
            cpu.gatherBytes(images, cols, order, 7, rows, 1.0 / 255, x);
            double[] bias = new double[cols];
            for (int j = 0; j < cols; j++) {
                bias[j] = r.nextDouble(-0.6, 0.4);
            }
            Tensor h = cpu.zeros(dtype, s);
            cpu.addRow(x, cpu.fromArray(dtype, Shape.of(cols), bias), h);
            Tensor y = cpu.zeros(dtype, s);
            cpu.relu(h, y);
            Tensor d = cpu.zeros(dtype, s);
            cpu.reluBackward(y, h, d);
            cpu.axpy(-0.3, h, d);
            assertTrue(cpu.allFinite(d));
            d.set(rows * cols - 2, Double.NaN);
            assertFalse(cpu.allFinite(d));
            d.set(rows * cols - 2, 0.125);
            Tensor sums = cpu.fromArray(dtype, Shape.of(cols), bias);
            cpu.sumRows(d, 0.5, sums);
            double[] all = new double[4 * rows * cols + cols];
            int o = 0;
            for (Tensor t : new Tensor[] {x, h, y, d}) {
                System.arraycopy(t.toDoubleArray(), 0, all, o, rows * cols);
                o += rows * cols;
            }
            System.arraycopy(sums.toDoubleArray(), 0, all, o, cols);
            return all;
        }
    }
}
