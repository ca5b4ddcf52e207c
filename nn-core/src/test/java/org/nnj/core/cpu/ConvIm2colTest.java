package org.nnj.core.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nnj.api.ConvGeometry;
import org.nnj.api.DType;
import org.nnj.api.Shape;
import org.nnj.api.ShapeException;
import org.nnj.api.Tensor;

class ConvIm2colTest {
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

    /** (n, C, H, W, kh, kw, stride, pad): square and rectangular, strided, padded, pad ≥ kernel, a batch of one. */
    static Stream<Arguments> geometries() {
        return Stream.of(
                Arguments.of(1, 1, 3, 3, 2, 2, 1, 0),
                Arguments.of(2, 3, 5, 7, 2, 3, 1, 0),
                Arguments.of(2, 3, 5, 7, 2, 3, 2, 1),
                Arguments.of(3, 2, 6, 6, 3, 3, 1, 2),
                Arguments.of(1, 4, 7, 5, 3, 2, 2, 2),
                Arguments.of(2, 1, 4, 4, 1, 1, 3, 0),
                Arguments.of(2, 2, 3, 4, 2, 2, 1, 3),
                Arguments.of(4, 1, 28, 28, 5, 5, 1, 0));
    }

    static ConvGeometry geometry(int c, int h, int w, int kh, int kw, int s, int p) {
        return new ConvGeometry(c, h, w, kh, kw, s, p);
    }

    static Tensor random(CpuBackend be, DType dtype, SplittableRandom rnd, int... dims) {
        Shape shape = Shape.of(dims);
        double[] v = new double[shape.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = rnd.nextDouble(-1, 1);
        }
        return be.fromArray(dtype, shape, v);
    }

    /** im2col written directly from its definition, with a bounds test per element. */
    static double[] naiveIm2col(double[] x, int n, ConvGeometry g) {
        int oh = g.outHeight();
        int ow = g.outWidth();
        int k = g.windowSize();
        double[] col = new double[n * oh * ow * k];
        for (int i = 0; i < n; i++) {
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++) {
                    int row = (i * oh + oy) * ow + ox;
                    for (int c = 0; c < g.channels(); c++) {
                        for (int ky = 0; ky < g.kernelHeight(); ky++) {
                            for (int kx = 0; kx < g.kernelWidth(); kx++) {
                                int y = oy * g.stride() - g.pad() + ky;
                                int xx = ox * g.stride() - g.pad() + kx;
                                boolean inside = y >= 0 && y < g.height() && xx >= 0 && xx < g.width();
                                int column = (c * g.kernelHeight() + ky) * g.kernelWidth() + kx;
                                col[row * k + column] = inside
                                        ? x[((i * g.channels() + c) * g.height() + y) * g.width() + xx] : 0;
                            }
                        }
                    }
                }
            }
        }
        return col;
    }

    @Test
    void handWorkedOneChannelThreeByThreeMatchesTheBooksLayout() {
        Tensor x = ONE.fromArray(F64, Shape.of(1, 1, 3, 3), 1, 2, 3, 4, 5, 6, 7, 8, 9);
        ConvGeometry g = geometry(1, 3, 3, 2, 2, 1, 0);
        Tensor col = ONE.zeros(F64, Shape.of(4, 4));
        ONE.im2col(x, g, col);
        // one row per output position (row-major), each row the 2x2 window row-major
        assertArrayEquals(new double[] {
            1, 2, 4, 5,
            2, 3, 5, 6,
            4, 5, 7, 8,
            5, 6, 8, 9}, col.toDoubleArray(), 0.0);
    }

    @Test
    void handWorkedPaddingAndStrideAndChannelMajorRows() {
        // 2 channels of 2x2, window 2x2, stride 2, pad 1: a 2x2 output whose windows each hold one real pixel
        Tensor x = ONE.fromArray(F64, Shape.of(1, 2, 2, 2), 1, 2, 3, 4, 10, 20, 30, 40);
        ConvGeometry g = geometry(2, 2, 2, 2, 2, 2, 1);
        Tensor col = ONE.zeros(F64, Shape.of(4, 8));
        ONE.fill(col, Double.NaN); // every element is overwritten, padding included
        ONE.im2col(x, g, col);
        assertArrayEquals(new double[] {
            0, 0, 0, 1, 0, 0, 0, 10,
            0, 0, 2, 0, 0, 0, 20, 0,
            0, 3, 0, 0, 0, 30, 0, 0,
            4, 0, 0, 0, 40, 0, 0, 0}, col.toDoubleArray(), 0.0);
    }

    @ParameterizedTest(name = "n={0} C={1} {2}x{3} window {4}x{5} stride {6} pad {7}")
    @MethodSource("geometries")
    void im2colMatchesTheDefinitionInBothDTypes(int n, int c, int h, int w, int kh, int kw, int s, int p) {
        ConvGeometry g = geometry(c, h, w, kh, kw, s, p);
        SplittableRandom rnd = new SplittableRandom(n * 31L + h * 7L + kw);
        for (DType dtype : DType.values()) {
            Tensor x = random(ONE, dtype, rnd, n, c, h, w);
            Tensor col = ONE.zeros(dtype, Shape.of(n * g.outHeight() * g.outWidth(), g.windowSize()));
            ONE.fill(col, 7);
            ONE.im2col(x, g, col);
            assertArrayEquals(naiveIm2col(x.toDoubleArray(), n, g), col.toDoubleArray(), 0.0, dtype.toString());
        }
    }

    @ParameterizedTest(name = "n={0} C={1} {2}x{3} window {4}x{5} stride {6} pad {7}")
    @MethodSource("geometries")
    void col2imIsTheAdjointOfIm2col(int n, int c, int h, int w, int kh, int kw, int s, int p) {
        ConvGeometry g = geometry(c, h, w, kh, kw, s, p);
        SplittableRandom rnd = new SplittableRandom(n * 131L + w * 17L + kh);
        Tensor x = random(ONE, F64, rnd, n, c, h, w);
        Tensor c1 = random(ONE, F64, rnd, n * g.outHeight() * g.outWidth(), g.windowSize());
        Tensor col = ONE.zerosLike(c1);
        ONE.im2col(x, g, col);
        Tensor dx = ONE.zerosLike(x);
        ONE.fill(dx, Double.NaN); // overwritten, not accumulated into
        ONE.col2im(c1, g, dx);
        double lhs = ONE.dot(col, c1);
        double rhs = ONE.dot(x, dx);
        assertEquals(lhs, rhs, 1e-12 * Math.max(1, Math.abs(lhs)));
    }

    @Test
    void col2imAddsOverlappingContributions() {
        // 1x1x3x3, window 2x2 stride 1: the centre pixel lies in all four windows, corners in one
        ConvGeometry g = geometry(1, 3, 3, 2, 2, 1, 0);
        Tensor ones = ONE.zeros(F64, Shape.of(4, 4));
        ONE.fill(ones, 1);
        Tensor dx = ONE.zeros(F64, Shape.of(1, 1, 3, 3));
        ONE.col2im(ones, g, dx);
        assertArrayEquals(new double[] {1, 2, 1, 2, 4, 2, 1, 2, 1}, dx.toDoubleArray(), 0.0);
    }

    @Test
    void float32AgreesWithFloat64() {
        ConvGeometry g = geometry(3, 5, 7, 2, 3, 2, 1);
        SplittableRandom rnd = new SplittableRandom(9);
        Tensor c64 = random(ONE, F64, rnd, 2 * g.outHeight() * g.outWidth(), g.windowSize());
        Tensor c32 = ONE.fromArray(DType.FLOAT32, c64.shape(), c64.toDoubleArray());
        Tensor d64 = ONE.zeros(F64, Shape.of(2, 3, 5, 7));
        Tensor d32 = ONE.zeros(DType.FLOAT32, Shape.of(2, 3, 5, 7));
        ONE.col2im(c64, g, d64);
        ONE.col2im(c32, g, d32);
        assertArrayEquals(d64.toDoubleArray(), d32.toDoubleArray(), 1e-5);
    }

    @Test
    void resultsAreBitIdenticalForAnyThreadCount() {
        ConvGeometry g = geometry(3, 28, 28, 5, 5, 1, 2);
        SplittableRandom rnd = new SplittableRandom(5);
        for (DType dtype : DType.values()) {
            Tensor x = random(ONE, dtype, rnd, 7, 3, 28, 28);
            Shape colShape = Shape.of(7 * g.outHeight() * g.outWidth(), g.windowSize());
            Tensor c = random(ONE, dtype, rnd, colShape.dims());
            Tensor[] cols = {ONE.zeros(dtype, colShape), ONE.zeros(dtype, colShape), ONE.zeros(dtype, colShape)};
            Tensor[] dxs = {ONE.zerosLike(x), ONE.zerosLike(x), ONE.zerosLike(x)};
            ONE.im2col(x, g, cols[0]);
            ONE.col2im(c, g, dxs[0]);
            TWO.im2col(x, g, cols[1]);
            TWO.col2im(c, g, dxs[1]);
            ConvKernels.im2col(THREE, x, g, cols[2]);
            ConvKernels.col2im(THREE, c, g, dxs[2]);
            for (int i = 1; i < 3; i++) {
                assertArrayEquals(cols[0].toDoubleArray(), cols[i].toDoubleArray(), 0.0);
                assertArrayEquals(dxs[0].toDoubleArray(), dxs[i].toDoubleArray(), 0.0);
            }
        }
    }

    @Test
    void shapeErrorsNameTheOpAndTheShapes() {
        ConvGeometry g = geometry(2, 5, 7, 2, 3, 1, 0); // output 4x5, windows of 12
        Tensor x = ONE.zeros(F64, Shape.of(3, 2, 5, 7));
        ShapeException wrongX = assertThrows(ShapeException.class,
                () -> ONE.im2col(ONE.zeros(F64, Shape.of(3, 2, 7, 5)), g, ONE.zeros(F64, Shape.of(60, 12))));
        assertTrue(wrongX.getMessage().startsWith("im2col: x (3, 2, 7, 5)")
                && wrongX.getMessage().contains("(n, 2, 5, 7)"), wrongX.getMessage());
        ShapeException wrongCol = assertThrows(ShapeException.class,
                () -> ONE.im2col(x, g, ONE.zeros(F64, Shape.of(60, 11))));
        assertTrue(wrongCol.getMessage().startsWith("im2col: col (60, 11)")
                && wrongCol.getMessage().contains("(60, 12)"), wrongCol.getMessage());
        ShapeException flatCol = assertThrows(ShapeException.class,
                () -> ONE.col2im(ONE.zeros(F64, Shape.of(720)), g, x));
        assertTrue(flatCol.getMessage().startsWith("col2im: col (720)"), flatCol.getMessage());
        ShapeException dtype = assertThrows(ShapeException.class,
                () -> ONE.im2col(x, g, ONE.zeros(DType.FLOAT32, Shape.of(60, 12))));
        assertTrue(dtype.getMessage().startsWith("im2col:") && dtype.getMessage().contains("float32"),
                dtype.getMessage());
        ShapeException rank = assertThrows(ShapeException.class,
                () -> ONE.col2im(ONE.zeros(F64, Shape.of(60, 12)), g, ONE.zeros(F64, Shape.of(3, 70))));
        assertTrue(rank.getMessage().startsWith("col2im: dx (3, 70)"), rank.getMessage());
        assertThrows(NullPointerException.class, () -> ONE.im2col(x, null, ONE.zeros(F64, Shape.of(60, 12))));
        assertThrows(NullPointerException.class, () -> ONE.im2col(null, g, ONE.zeros(F64, Shape.of(60, 12))));
    }

    @Test
    void anEmptyBatchIsNothingToDo() {
        ConvGeometry g = geometry(1, 3, 3, 2, 2, 1, 0);
        ONE.im2col(ONE.zeros(F64, Shape.of(0, 1, 3, 3)), g, ONE.zeros(F64, Shape.of(0, 4)));
        ONE.col2im(ONE.zeros(F64, Shape.of(0, 4)), g, ONE.zeros(F64, Shape.of(0, 1, 3, 3)));
    }
}
