package org.nnj.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nnj.layers.Numeric.F64;

import java.util.List;
import java.util.Random;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nnj.api.Backend;
import org.nnj.api.DType;
import org.nnj.api.LayerContext;
import org.nnj.api.Mode;
import org.nnj.api.Parameter;
import org.nnj.api.Settings;
import org.nnj.api.Shape;
import org.nnj.api.ShapeException;
import org.nnj.api.Tensor;
import org.nnj.api.spi.LayerProvider;
import org.nnj.core.cpu.CpuBackend;

class Conv2dTest {
    private final Backend be = Numeric.cpu();

    /** A layer with N(0, 1) filters and random biases, so that every gradient is far from trivially small. */
    private Conv2d layer(Random random, int c, int h, int w, int fn, int kh, int kw, int stride, int pad) {
        Conv2d conv = new Conv2d(be, F64, c, h, w, fn, kh, kw, stride, pad, random, 1.0);
        be.axpy(1.0, Numeric.uniform(be, random, -1, 1, fn), conv.bias().value());
        return conv;
    }

    /** The convolution (cross-correlation, as in the book) written from its definition. */
    private static double[] direct(double[] x, int n, int c, int h, int w, double[] wt, double[] b, int fn, int kh,
                                   int kw, int s, int p) {
        int oh = (h + 2 * p - kh) / s + 1;
        int ow = (w + 2 * p - kw) / s + 1;
        double[] y = new double[n * fn * oh * ow];
        for (int i = 0; i < n; i++) {
            for (int f = 0; f < fn; f++) {
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++) {
                        double sum = b[f];
                        for (int ch = 0; ch < c; ch++) {
                            for (int ky = 0; ky < kh; ky++) {
                                for (int kx = 0; kx < kw; kx++) {
                                    int yy = oy * s - p + ky;
                                    int xx = ox * s - p + kx;
                                    if (yy >= 0 && yy < h && xx >= 0 && xx < w) {
                                        sum += x[((i * c + ch) * h + yy) * w + xx]
                                                * wt[((f * c + ch) * kh + ky) * kw + kx];
                                    }
                                }
                            }
                        }
                        y[((i * fn + f) * oh + oy) * ow + ox] = sum;
                    }
                }
            }
        }
        return y;
    }

    /** (n, C, H, W, FN, KH, KW, stride, pad). */
    static Stream<Arguments> configurations() {
        return Stream.of(
                Arguments.of(2, 1, 4, 4, 2, 3, 3, 1, 0),
                Arguments.of(2, 3, 5, 7, 4, 2, 3, 1, 0),
                Arguments.of(2, 2, 5, 7, 3, 2, 3, 2, 1),
                Arguments.of(1, 2, 4, 5, 2, 3, 3, 1, 2),
                Arguments.of(1, 3, 6, 5, 2, 3, 2, 2, 2),
                Arguments.of(3, 2, 5, 5, 3, 1, 1, 2, 1),
                Arguments.of(2, 2, 3, 3, 2, 3, 3, 1, 1));
    }

    @ParameterizedTest(name = "n={0} C={1} {2}x{3} FN={4} kernel {5}x{6} stride {7} pad {8}")
    @MethodSource("configurations")
    void forwardMatchesTheDefinitionOfConvolution(int n, int c, int h, int w, int fn, int kh, int kw, int s, int p) {
        Random random = new Random(n * 100 + c * 10 + p);
        Conv2d conv = layer(random, c, h, w, fn, kh, kw, s, p);
        Tensor x = Numeric.uniform(be, random, -1, 1, n, c, h, w);
        Tensor y = conv.forward(x, Mode.INFERENCE);
        int oh = (h + 2 * p - kh) / s + 1;
        int ow = (w + 2 * p - kw) / s + 1;
        assertEquals(Shape.of(n, fn, oh, ow), y.shape());
        assertEquals(Shape.of(fn, oh, ow), conv.outputShape(Shape.of(c, h, w)));
        assertArrayEquals(direct(x.toDoubleArray(), n, c, h, w, conv.weight().value().toDoubleArray(),
                conv.bias().value().toDoubleArray(), fn, kh, kw, s, p), y.toDoubleArray(), 1e-12);
    }

    @ParameterizedTest(name = "n={0} C={1} {2}x{3} FN={4} kernel {5}x{6} stride {7} pad {8}")
    @MethodSource("configurations")
    void gradientsMatchNumericalGradient(int n, int c, int h, int w, int fn, int kh, int kw, int s, int p) {
        Random random = new Random(n * 1000 + h * 10 + kw);
        Conv2d conv = layer(random, c, h, w, fn, kh, kw, s, p);
        LayerChecks.gradientsMatchNumerical(conv, Numeric.uniform(be, random, -2, 2, n, c, h, w), 99);
    }

    @Test
    void handWorkedSingleFilter() {
        // x = 1..9 as 3x3, filter [[1, 0], [0, -1]], bias 10: y = x[i, j] − x[i+1, j+1] + 10 = 6 everywhere
        Tensor w = be.fromArray(F64, Shape.of(1, 1, 2, 2), 1, 0, 0, -1);
        Conv2d conv = new Conv2d(w, be.fromArray(F64, Shape.of(1), 10), 3, 3, 1, 0);
        Tensor x = be.fromArray(F64, Shape.of(1, 1, 3, 3), 1, 2, 3, 4, 5, 6, 7, 8, 9);
        Tensor y = conv.forward(x, Mode.TRAIN);
        assertArrayEquals(new double[] {6, 6, 6, 6}, y.toDoubleArray(), 0.0);
        Tensor dx = conv.backward(be.fromArray(F64, Shape.of(1, 1, 2, 2), 1, 1, 1, 1));
        // each output adds +1 at its top-left pixel and −1 at its bottom-right one
        assertArrayEquals(new double[] {1, 1, 0, 1, 0, -1, 0, -1, -1}, dx.toDoubleArray(), 0.0);
        // dW[ky, kx] = Σ over windows of x[oy + ky, ox + kx]; db = 4
        assertArrayEquals(new double[] {12, 16, 24, 28}, conv.weight().grad().toDoubleArray(), 0.0);
        assertArrayEquals(new double[] {4}, conv.bias().grad().toDoubleArray(), 0.0);
    }

    @Test
    void backwardParametersAddsTheSameParameterGradientsWithoutDx() {
        Random random = new Random(7);
        Conv2d a = layer(random, 2, 5, 6, 3, 3, 2, 1, 1);
        Conv2d b = new Conv2d(a.weight().value(), a.bias().value(), 5, 6, 1, 1);
        Tensor x = Numeric.uniform(be, random, -1, 1, 2, 2, 5, 6);
        Tensor dout = Numeric.uniform(be, random, -1, 1, a.forward(x, Mode.TRAIN).shape().dims());
        a.backward(dout);
        b.forward(x, Mode.TRAIN);
        b.backwardParameters(dout);
        assertArrayEquals(a.weight().grad().toDoubleArray(), b.weight().grad().toDoubleArray(), 0.0);
        assertArrayEquals(a.bias().grad().toDoubleArray(), b.bias().grad().toDoubleArray(), 0.0);
        Conv2d fresh = layer(random, 2, 5, 6, 3, 3, 2, 1, 1);
        assertThrows(IllegalStateException.class, () -> fresh.backwardParameters(dout));
    }

    @Test
    void parameterGradientsAccumulateOverBackwardCalls() {
        Random random = new Random(8);
        Conv2d conv = layer(random, 2, 4, 4, 2, 2, 2, 2, 0);
        Tensor x = Numeric.uniform(be, random, -1, 1, 3, 2, 4, 4);
        Tensor dout = Numeric.uniform(be, random, -1, 1, conv.forward(x, Mode.TRAIN).shape().dims());
        conv.backward(dout);
        double[] once = conv.weight().grad().toDoubleArray();
        double[] bOnce = conv.bias().grad().toDoubleArray();
        conv.backward(dout);
        double[] twice = conv.weight().grad().toDoubleArray();
        for (int i = 0; i < once.length; i++) {
            assertEquals(2 * once[i], twice[i], 1e-12);
        }
        assertEquals(2 * bOnce[0], conv.bias().grad().get(0), 1e-12);
    }

    @Test
    void backwardModifiesNeitherDoutNorX() {
        Random random = new Random(9);
        LayerChecks.argumentsUnchanged(layer(random, 2, 5, 5, 2, 3, 3, 2, 1),
                Numeric.uniform(be, random, -1, 1, 2, 2, 5, 5), 10);
    }

    @Test
    void backwardBeforeTrainingForwardThrows() {
        Random random = new Random(10);
        Conv2d conv = layer(random, 1, 4, 4, 2, 3, 3, 1, 0);
        Tensor dout = be.zeros(F64, Shape.of(1, 2, 2, 2));
        assertThrows(IllegalStateException.class, () -> conv.backward(dout));
        conv.forward(be.zeros(F64, Shape.of(1, 1, 4, 4)), Mode.INFERENCE);
        assertThrows(IllegalStateException.class, () -> conv.backward(dout));
    }

    @Test
    void reusesBuffersWhileTheBatchShapeIsUnchanged() {
        Random random = new Random(11);
        Conv2d conv = layer(random, 1, 4, 4, 2, 3, 3, 1, 0);
        Tensor y1 = conv.forward(be.zeros(F64, Shape.of(3, 1, 4, 4)), Mode.TRAIN);
        Tensor y2 = conv.forward(be.zeros(F64, Shape.of(3, 1, 4, 4)), Mode.TRAIN);
        assertSame(y1, y2);
        Tensor dout = be.zeros(F64, Shape.of(3, 2, 2, 2));
        assertSame(conv.backward(dout), conv.backward(dout));
        Tensor y3 = conv.forward(be.zeros(F64, Shape.of(1, 1, 4, 4)), Mode.TRAIN);
        assertNotSame(y1, y3);
        assertEquals(Shape.of(1, 2, 2, 2), y3.shape());
        assertEquals(Shape.of(1, 1, 4, 4), conv.backward(be.zeros(F64, Shape.of(1, 2, 2, 2))).shape());
    }

    @Test
    void worksInFloat32Too() {
        Random random = new Random(12);
        Conv2d c64 = layer(random, 2, 5, 7, 3, 2, 3, 2, 1);
        Tensor w32 = be.fromArray(DType.FLOAT32, c64.weight().value().shape(), c64.weight().value().toDoubleArray());
        Tensor b32 = be.fromArray(DType.FLOAT32, Shape.of(3), c64.bias().value().toDoubleArray());
        Conv2d c32 = new Conv2d(w32, b32, 5, 7, 2, 1);
        Tensor x = Numeric.uniform(be, random, -1, 1, 2, 2, 5, 7);
        Tensor x32 = be.fromArray(DType.FLOAT32, x.shape(), x.toDoubleArray());
        Tensor y64 = c64.forward(x, Mode.TRAIN);
        Tensor y32 = c32.forward(x32, Mode.TRAIN);
        assertEquals(DType.FLOAT32, y32.dtype());
        assertArrayEquals(y64.toDoubleArray(), y32.toDoubleArray(), 1e-5);
        Tensor d = Numeric.uniform(be, random, -1, 1, y64.shape().dims());
        double[] dx64 = c64.backward(d).toDoubleArray();
        double[] dx32 = c32.backward(be.fromArray(DType.FLOAT32, d.shape(), d.toDoubleArray())).toDoubleArray();
        assertArrayEquals(dx64, dx32, 1e-5);
        assertArrayEquals(c64.weight().grad().toDoubleArray(), c32.weight().grad().toDoubleArray(), 1e-4);
    }

    @Test
    void resultsAreBitIdenticalForOneAndTwoThreads() {
        try (CpuBackend one = new CpuBackend(1); CpuBackend two = new CpuBackend(2)) {
            Random random = new Random(13);
            Conv2d base = new Conv2d(one, DType.FLOAT32, 3, 12, 12, 8, 5, 5, 1, 2, random, 0.1);
            Tensor x = Numeric.uniform(one, random, -1, 1, 16, 3, 12, 12);
            Tensor d = Numeric.uniform(one, random, -1, 1, 16, 8, 12, 12);
            double[][] results = new double[2][];
            double[][] grads = new double[2][];
            double[][] outs = new double[2][];
            CpuBackend[] backends = {one, two};
            for (int t = 0; t < 2; t++) {
                CpuBackend b = backends[t];
                Conv2d conv = new Conv2d(b.fromArray(DType.FLOAT32, base.weight().value().shape(),
                        base.weight().value().toDoubleArray()), b.zeros(DType.FLOAT32, Shape.of(8)), 12, 12, 1, 2);
                outs[t] = conv.forward(b.fromArray(DType.FLOAT32, x.shape(), x.toDoubleArray()), Mode.TRAIN)
                        .toDoubleArray();
                results[t] = conv.backward(b.fromArray(DType.FLOAT32, d.shape(), d.toDoubleArray())).toDoubleArray();
                grads[t] = conv.weight().grad().toDoubleArray();
            }
            assertArrayEquals(outs[0], outs[1], 0.0);
            assertArrayEquals(results[0], results[1], 0.0);
            assertArrayEquals(grads[0], grads[1], 0.0);
        }
    }

    @Test
    void randomConstructorDrawsTheBooksGaussiansInOrderAndZeroBias() {
        Conv2d conv = new Conv2d(be, F64, 2, 6, 6, 3, 3, 2, 1, 0, new Random(42), 0.01);
        assertEquals(Shape.of(3, 2, 3, 2), conv.weight().value().shape());
        Random expected = new Random(42);
        for (double v : conv.weight().value().toDoubleArray()) {
            assertEquals(0.01 * expected.nextGaussian(), v, 0.0);
        }
        assertArrayEquals(new double[3], conv.bias().value().toDoubleArray(), 0.0);
        assertEquals(List.of("W", "b"), conv.parameters().stream().map(Parameter::name).toList());
        Conv2d he = new Conv2d(be, F64, 2, 6, 6, 3, 3, 2, 1, 0, new Random(42), Init.he());
        assertEquals(Math.sqrt(2.0 / 12) * new Random(42).nextGaussian(), he.weight().value().get(0), 1e-15);
    }

    @Test
    void shapeErrorsNameTheLayerAndTheShapes() {
        Conv2d conv = layer(new Random(14), 3, 5, 7, 2, 2, 3, 1, 0);
        ShapeException input = assertThrows(ShapeException.class,
                () -> conv.forward(be.zeros(F64, Shape.of(2, 3, 7, 5)), Mode.TRAIN));
        assertTrue(input.getMessage().contains("Conv2d(3 -> 2, 2x3, stride 1, pad 0)")
                && input.getMessage().contains("(2, 3, 7, 5)") && input.getMessage().contains("(n, 3, 5, 7)"),
                input.getMessage());
        conv.forward(be.zeros(F64, Shape.of(2, 3, 5, 7)), Mode.TRAIN);
        ShapeException dout = assertThrows(ShapeException.class,
                () -> conv.backward(be.zeros(F64, Shape.of(2, 2, 5, 4))));
        assertTrue(dout.getMessage().contains("Conv2d(") && dout.getMessage().contains("(2, 2, 4, 5)"),
                dout.getMessage());
        ShapeException shape = assertThrows(ShapeException.class, () -> conv.outputShape(Shape.of(105)));
        assertTrue(shape.getMessage().contains("(105)") && shape.getMessage().contains("(3, 5, 7)"),
                shape.getMessage());
        ShapeException fit = assertThrows(ShapeException.class,
                () -> new Conv2d(be, F64, 1, 2, 2, 1, 5, 5, 1, 1, new Random(), 0.01));
        assertTrue(fit.getMessage().contains("Conv2d(1 -> 1, 5x5") && fit.getMessage().contains("(1, 2, 2)"),
                fit.getMessage());
        assertThrows(ShapeException.class, () -> new Conv2d(be.zeros(F64, Shape.of(2, 1, 3, 3)),
                be.zeros(F64, Shape.of(3)), 5, 5, 1, 0));
        assertThrows(IllegalArgumentException.class,
                () -> new Conv2d(be, F64, 1, 5, 5, 1, 3, 3, 0, 0, new Random(), 0.01));
        assertThrows(IllegalArgumentException.class,
                () -> new Conv2d(be, F64, 1, 5, 5, 1, 3, 3, 1, -1, new Random(), 0.01));
        assertThrows(IllegalArgumentException.class,
                () -> new Conv2d(be, F64, 1, 5, 5, 0, 3, 3, 1, 0, new Random(), 0.01));
    }

    // ---- provider ---------------------------------------------------------------------------------------------

    private static LayerProvider provider(String name) {
        return ServiceLoader.load(LayerProvider.class).stream().map(ServiceLoader.Provider::get)
                .filter(p -> p.name().equals(name)).findFirst().orElseThrow();
    }

    private LayerContext context(Shape input) {
        return new LayerContext(be, F64, input, new Random(42));
    }

    @Test
    void providerIsFoundByNameAndBuildsTheBooksFirstLayer() {
        Conv2d conv = assertInstanceOf(Conv2d.class, provider("conv2d")
                .create(Settings.of("filters", 30, "kernel", 5), context(Shape.of(1, 28, 28))));
        assertEquals(Shape.of(30, 1, 5, 5), conv.weight().value().shape());
        assertEquals(Shape.of(30, 24, 24), conv.outputShape(Shape.of(1, 28, 28)));
        assertEquals(0.01 * new Random(42).nextGaussian(), conv.weight().value().get(0), 0.0);
    }

    @Test
    void providerReadsRectangularKernelsStridePaddingAndInit() {
        Conv2d conv = (Conv2d) provider("conv2d").create(Settings.of("filters", 4, "kernel", "2x3", "stride", 2,
                "pad", 1, "init", "he"), context(Shape.of(3, 5, 7)));
        assertEquals(Shape.of(4, 3, 2, 3), conv.weight().value().shape());
        assertEquals(2, conv.geometry().stride());
        assertEquals(1, conv.geometry().pad());
        assertEquals(Shape.of(4, 3, 4), conv.outputShape(Shape.of(3, 5, 7)));
        assertEquals(Math.sqrt(2.0 / 18) * new Random(42).nextGaussian(), conv.weight().value().get(0), 1e-15);
        Conv2d wide = (Conv2d) provider("conv2d").create(Settings.of("filters", 1, "kernel", " 3 X 3 ",
                "weight_std", 1.0, "init", "normal"), context(Shape.of(1, 4, 4)));
        assertEquals(new Random(42).nextGaussian(), wide.weight().value().get(0), 0.0);
    }

    @Test
    void providerSettingsErrorsNameTheSetting() {
        LayerProvider p = provider("conv2d");
        LayerContext image = context(Shape.of(1, 8, 8));
        String[][] bad = {
            {"kernel", "3"}, // filters missing
            {"filters", "2"}, // kernel missing
            {"filters", "0", "kernel", "3"},
            {"filters", "x", "kernel", "3"},
            {"filters", "2", "kernel", "3x"},
            {"filters", "2", "kernel", "0"},
            {"filters", "2", "kernel", "3x3x3"},
            {"filters", "2", "kernel", "3", "stride", "0"},
            {"filters", "2", "kernel", "3", "pad", "-1"},
            {"filters", "2", "kernel", "3", "init", "glorot"},
            {"filters", "2", "kernel", "3", "init", "he", "weight_std", "0.1"},
            {"filters", "2", "kernel", "3", "weight_std", "-1"},
            {"filters", "2", "kernel", "3", "size", "3"},
        };
        String[] names = {"filters", "kernel", "filters", "filters", "kernel", "kernel", "kernel", "stride", "pad",
            "glorot", "weight_std", "weight_std", "'size'"};
        for (int i = 0; i < bad.length; i++) {
            Settings s = Settings.of((Object[]) bad[i]);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.create(s, image),
                    s.toString());
            assertTrue(e.getMessage().startsWith("conv2d") && e.getMessage().contains(names[i]),
                    s + ": " + e.getMessage());
        }
        ShapeException flat = assertThrows(ShapeException.class,
                () -> p.create(Settings.of("filters", 2, "kernel", 3), context(Shape.of(784))));
        assertTrue(flat.getMessage().startsWith("conv2d") && flat.getMessage().contains("(784)"),
                flat.getMessage());
        ShapeException big = assertThrows(ShapeException.class,
                () -> p.create(Settings.of("filters", 2, "kernel", 9), image));
        assertTrue(big.getMessage().contains("9x9") && big.getMessage().contains("(1, 8, 8)"), big.getMessage());
    }
}
