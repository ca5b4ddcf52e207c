package org.nnj.core.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.nnj.api.ConvGeometry;
import org.nnj.api.DType;
import org.nnj.api.Shape;
import org.nnj.api.ShapeException;
import org.nnj.api.Tensor;

class PoolKernelsTest {
    private static final CpuBackend ONE = new CpuBackend(1);
    private static final CpuBackend TWO = new CpuBackend(2);
    private static final CpuExecutor THREE = new CpuExecutor(3);
    private static final DType F64 = DType.FLOAT64;

    @AfterAll
    static void close() {
        ONE.close();
        TWO.close();
        THREE.shutdown();
    }

    @Test
    void maxPoolTiesGoToTheFirstElementInRowMajorOrder() {
        for (DType dtype : DType.values()) {
            // 1x1x2x4, windows 2x2 stride 2: left window all 5s, right window 3 at (0,3) and (1,2)
            Tensor x = ONE.fromArray(dtype, Shape.of(1, 1, 2, 4), 5, 5, 1, 3, 5, 5, 3, 2);
            Tensor out = ONE.zeros(dtype, Shape.of(1, 1, 1, 2));
            int[] argmax = new int[2];
            ONE.maxPool(x, new ConvGeometry(1, 2, 4, 2, 2, 2, 0), out, argmax);
            assertArrayEquals(new double[] {5, 3}, out.toDoubleArray(), 0.0);
            assertArrayEquals(new int[] {0, 3}, argmax);
            Tensor dx = ONE.zerosLike(x);
            ONE.fill(dx, Double.NaN);
            ONE.maxPoolBackward(ONE.fromArray(dtype, Shape.of(1, 1, 1, 2), 10, 20), argmax, dx);
            assertArrayEquals(new double[] {10, 0, 0, 20, 0, 0, 0, 0}, dx.toDoubleArray(), 0.0);
        }
    }

    @Test
    void overlappingWindowsAddTheirGradientsAtAnElementThatWinsTwice() {
        // 1x1x1x3, window 1x2 stride 1: 9 wins both windows
        Tensor x = ONE.fromArray(F64, Shape.of(1, 1, 1, 3), 1, 9, 2);
        Tensor out = ONE.zeros(F64, Shape.of(1, 1, 1, 2));
        int[] argmax = new int[2];
        ONE.maxPool(x, new ConvGeometry(1, 1, 3, 1, 2, 1, 0), out, argmax);
        assertArrayEquals(new int[] {1, 1}, argmax);
        Tensor dx = ONE.zerosLike(x);
        ONE.maxPoolBackward(ONE.fromArray(F64, Shape.of(1, 1, 1, 2), 0.25, 0.5), argmax, dx);
        assertArrayEquals(new double[] {0, 0.75, 0}, dx.toDoubleArray(), 0.0);
    }

    @Test
    void paddingNeverWinsEvenOverNegativeValues() {
        // 2 channels of 2x2 negatives, window 2x2 stride 2 pad 1: each window holds one real (negative) element
        Tensor x = ONE.fromArray(F64, Shape.of(1, 2, 2, 2), -1, -2, -3, -4, -5, -6, -7, -8);
        Tensor out = ONE.zeros(F64, Shape.of(1, 2, 2, 2));
        int[] argmax = new int[8];
        ONE.maxPool(x, new ConvGeometry(2, 2, 2, 2, 2, 2, 1), out, argmax);
        assertArrayEquals(x.toDoubleArray(), out.toDoubleArray(), 0.0);
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7}, argmax);
    }

    @Test
    void maxPoolMatchesABruteForceSearchOnRandomInput() {
        SplittableRandom rnd = new SplittableRandom(3);
        int[][] cases = {{2, 3, 5, 7, 2, 3, 2, 1}, {1, 2, 6, 6, 3, 3, 1, 1}, {3, 1, 4, 5, 2, 2, 2, 0}};
        for (int[] c : cases) {
            ConvGeometry g = new ConvGeometry(c[1], c[2], c[3], c[4], c[5], c[6], c[7]);
            Tensor x = ConvIm2colTest.random(ONE, F64, rnd, c[0], c[1], c[2], c[3]);
            Tensor out = ONE.zeros(F64, Shape.of(c[0], c[1], g.outHeight(), g.outWidth()));
            int[] argmax = new int[out.size()];
            ONE.maxPool(x, g, out, argmax);
            // the maximum of each window's in-image elements, read one by one with a bounds test
            double[] xs = x.toDoubleArray();
            int o = 0;
            for (int q = 0; q < c[0] * c[1]; q++) {
                for (int oy = 0; oy < g.outHeight(); oy++) {
                    for (int ox = 0; ox < g.outWidth(); ox++, o++) {
                        double best = Double.NEGATIVE_INFINITY;
                        int at = -1;
                        for (int ky = 0; ky < g.kernelHeight(); ky++) {
                            for (int kx = 0; kx < g.kernelWidth(); kx++) {
                                int y = oy * g.stride() - g.pad() + ky;
                                int xx = ox * g.stride() - g.pad() + kx;
                                if (y >= 0 && y < g.height() && xx >= 0 && xx < g.width()) {
                                    int i = (q * g.height() + y) * g.width() + xx;
                                    if (xs[i] > best) {
                                        best = xs[i];
                                        at = i;
                                    }
                                }
                            }
                        }
                        assertEquals(best, out.get(o), 0.0);
                        assertEquals(at, argmax[o]);
                    }
                }
            }
        }
    }

    @Test
    void aNanInAWindowWins() {
        Tensor x = ONE.fromArray(F64, Shape.of(1, 1, 1, 4), 1, Double.NaN, 3, Double.NaN);
        Tensor out = ONE.zeros(F64, Shape.of(1, 1, 1, 1));
        int[] argmax = new int[1];
        ONE.maxPool(x, new ConvGeometry(1, 1, 4, 1, 4, 1, 0), out, argmax);
        assertTrue(Double.isNaN(out.get(0)));
        assertEquals(1, argmax[0]);
        for (DType dtype : DType.values()) { // the 2x2 fast path too
            Tensor square = ONE.fromArray(dtype, Shape.of(1, 1, 2, 4), 1, 2, 7, Double.NaN, 3, Double.NaN, Double.NaN,
                    0);
            Tensor pooled = ONE.zeros(dtype, Shape.of(1, 1, 1, 2));
            int[] at = new int[2];
            ONE.maxPool(square, new ConvGeometry(1, 2, 4, 2, 2, 2, 0), pooled, at);
            assertTrue(Double.isNaN(pooled.get(0)) && Double.isNaN(pooled.get(1)));
            assertArrayEquals(new int[] {5, 3}, at);
        }
    }

    @Test
    void avgPoolCountsPaddingAsZeros() {
        // 1x1x2x3 = [[1, 2, 3], [4, 5, 6]], window 2x2 stride 2 pad 1 → 2x2 output
        Tensor x = ONE.fromArray(F64, Shape.of(1, 1, 2, 3), 1, 2, 3, 4, 5, 6);
        ConvGeometry g = new ConvGeometry(1, 2, 3, 2, 2, 2, 1);
        Tensor out = ONE.zeros(F64, Shape.of(1, 1, 2, 2));
        ONE.avgPool(x, g, out);
        // windows: {1}, {2, 3}, {4}, {5, 6}, each divided by 4
        assertArrayEquals(new double[] {0.25, 1.25, 1.0, 2.75}, out.toDoubleArray(), 1e-15);
        Tensor dx = ONE.zerosLike(x);
        ONE.fill(dx, Double.NaN);
        ONE.avgPoolBackward(ONE.fromArray(F64, Shape.of(1, 1, 2, 2), 4, 8, 12, 16), g, dx);
        assertArrayEquals(new double[] {1, 2, 2, 3, 4, 4}, dx.toDoubleArray(), 1e-15);
    }

    @Test
    void avgPoolBackwardIsTheAdjointOfAvgPool() {
        SplittableRandom rnd = new SplittableRandom(11);
        int[][] cases = {{2, 3, 5, 7, 2, 3, 1, 1}, {1, 2, 6, 6, 3, 3, 2, 2}, {3, 1, 4, 5, 2, 2, 2, 0}};
        for (int[] c : cases) {
            ConvGeometry g = new ConvGeometry(c[1], c[2], c[3], c[4], c[5], c[6], c[7]);
            Tensor x = ConvIm2colTest.random(ONE, F64, rnd, c[0], c[1], c[2], c[3]);
            Tensor d = ConvIm2colTest.random(ONE, F64, rnd, c[0], c[1], g.outHeight(), g.outWidth());
            Tensor out = ONE.zerosLike(d);
            Tensor dx = ONE.zerosLike(x);
            ONE.avgPool(x, g, out);
            ONE.avgPoolBackward(d, g, dx);
            assertEquals(ONE.dot(out, d), ONE.dot(x, dx), 1e-12);
        }
    }

    @Test
    void float32AgreesWithFloat64() {
        SplittableRandom rnd = new SplittableRandom(13);
        ConvGeometry g = new ConvGeometry(2, 5, 7, 2, 3, 2, 1);
        Tensor x64 = ConvIm2colTest.random(ONE, F64, rnd, 2, 2, 5, 7);
        Tensor x32 = ONE.fromArray(DType.FLOAT32, x64.shape(), x64.toDoubleArray());
        Shape os = Shape.of(2, 2, g.outHeight(), g.outWidth());
        Tensor a64 = ONE.zeros(F64, os);
        Tensor a32 = ONE.zeros(DType.FLOAT32, os);
        ONE.avgPool(x64, g, a64);
        ONE.avgPool(x32, g, a32);
        assertArrayEquals(a64.toDoubleArray(), a32.toDoubleArray(), 1e-6);
        int[] i64 = new int[os.size()];
        int[] i32 = new int[os.size()];
        ONE.maxPool(x64, g, a64, i64);
        ONE.maxPool(x32, g, a32, i32);
        assertArrayEquals(i64, i32);
        Tensor d64 = ONE.zerosLike(x64);
        Tensor d32 = ONE.zerosLike(x32);
        ONE.avgPoolBackward(a64, g, d64);
        ONE.avgPoolBackward(a32, g, d32);
        assertArrayEquals(d64.toDoubleArray(), d32.toDoubleArray(), 1e-6);
    }

    @Test
    void resultsAreBitIdenticalForAnyThreadCount() {
        SplittableRandom rnd = new SplittableRandom(17);
        ConvGeometry g = new ConvGeometry(30, 24, 24, 2, 2, 2, 0);
        for (DType dtype : DType.values()) {
            Tensor x = ConvIm2colTest.random(ONE, dtype, rnd, 9, 30, 24, 24);
            Shape os = Shape.of(9, 30, 12, 12);
            Tensor d = ConvIm2colTest.random(ONE, dtype, rnd, os.dims());
            double[][] max = new double[3][];
            double[][] avg = new double[3][];
            double[][] back = new double[3][];
            int[][] argmax = new int[3][os.size()];
            for (int t = 0; t < 3; t++) {
                CpuExecutor ex = t == 2 ? THREE : null;
                CpuBackend be = t == 1 ? TWO : ONE;
                Tensor out = be.zeros(dtype, os);
                Tensor dx = be.zerosLike(x);
                ConvKernels.maxPool(ex, x, g, out, argmax[t]);
                max[t] = out.toDoubleArray();
                ConvKernels.avgPool(ex, x, g, out);
                avg[t] = out.toDoubleArray();
                ConvKernels.avgPoolBackward(ex, d, g, dx);
                back[t] = dx.toDoubleArray();
            }
            for (int t = 1; t < 3; t++) {
                assertArrayEquals(max[0], max[t], 0.0);
                assertArrayEquals(argmax[0], argmax[t]);
                assertArrayEquals(avg[0], avg[t], 0.0);
                assertArrayEquals(back[0], back[t], 0.0);
            }
        }
    }

    @Test
    void errorsNameTheOpAndTheShapes() {
        ConvGeometry g = new ConvGeometry(2, 4, 4, 2, 2, 2, 0);
        Tensor x = ONE.zeros(F64, Shape.of(3, 2, 4, 4));
        ShapeException wrongOut = assertThrows(ShapeException.class,
                () -> ONE.maxPool(x, g, ONE.zeros(F64, Shape.of(3, 2, 3, 3)), new int[100]));
        assertTrue(wrongOut.getMessage().startsWith("maxPool: out (3, 2, 3, 3)")
                && wrongOut.getMessage().contains("(3, 2, 2, 2)"), wrongOut.getMessage());
        ShapeException shortArgmax = assertThrows(ShapeException.class,
                () -> ONE.maxPool(x, g, ONE.zeros(F64, Shape.of(3, 2, 2, 2)), new int[23]));
        assertTrue(shortArgmax.getMessage().startsWith("maxPool: argmax has 23"), shortArgmax.getMessage());
        ShapeException wrongX = assertThrows(ShapeException.class,
                () -> ONE.avgPool(ONE.zeros(F64, Shape.of(3, 3, 4, 4)), g, ONE.zeros(F64, Shape.of(3, 2, 2, 2))));
        assertTrue(wrongX.getMessage().startsWith("avgPool: x (3, 3, 4, 4)"), wrongX.getMessage());
        ShapeException padding = assertThrows(ShapeException.class, () -> ONE.avgPool(ONE.zeros(F64,
                Shape.of(1, 1, 2, 2)), new ConvGeometry(1, 2, 2, 2, 2, 1, 2), ONE.zeros(F64, Shape.of(1, 1, 5, 5))));
        assertTrue(padding.getMessage().startsWith("avgPool: padding 2"), padding.getMessage());
        ShapeException badIndex = assertThrows(ShapeException.class,
                () -> ONE.maxPoolBackward(ONE.zeros(F64, Shape.of(1, 1, 1, 2)), new int[] {0, 4},
                        ONE.zeros(F64, Shape.of(1, 1, 2, 2))));
        assertTrue(badIndex.getMessage().startsWith("maxPoolBackward: argmax[1] = 4"), badIndex.getMessage());
        ShapeException wrongDout = assertThrows(ShapeException.class,
                () -> ONE.avgPoolBackward(ONE.zeros(F64, Shape.of(3, 2, 4, 4)), g, x));
        assertTrue(wrongDout.getMessage().startsWith("avgPoolBackward: dout"), wrongDout.getMessage());
        assertThrows(NullPointerException.class,
                () -> ONE.maxPool(x, g, ONE.zeros(F64, Shape.of(3, 2, 2, 2)), null));
    }
}
