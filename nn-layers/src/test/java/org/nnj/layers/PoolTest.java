package org.nnj.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nnj.layers.Numeric.F64;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nnj.api.Backend;
import org.nnj.api.DType;
import org.nnj.api.Layer;
import org.nnj.api.LayerContext;
import org.nnj.api.Mode;
import org.nnj.api.Settings;
import org.nnj.api.Shape;
import org.nnj.api.ShapeException;
import org.nnj.api.Tensor;
import org.nnj.api.spi.LayerProvider;

class PoolTest {
    private final Backend be = Numeric.cpu();

    /**
     * Distinct values 0.01 apart in random order: no two elements of a window are within the numerical step of each
     * other, so no perturbation changes a window's winner.
     */
    private Tensor tieFree(Random random, int... dims) {
        int size = Shape.of(dims).size();
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            order.add(i);
        }
        Collections.shuffle(order, random);
        double[] v = new double[size];
        for (int i = 0; i < size; i++) {
            v[i] = 0.01 * order.get(i) - 0.005 * size;
        }
        return be.fromArray(F64, Shape.of(dims), v);
    }

    @ParameterizedTest(name = "n={0} C={1} {2}x{3} window {4}x{5} stride {6} pad {7}")
    @CsvSource({"2, 2, 4, 4, 2, 2, 2, 0", "1, 3, 5, 7, 2, 3, 1, 1", "2, 1, 5, 5, 3, 3, 2, 1", "1, 2, 6, 5, 3, 2, 2, 0"})
    void maxPoolGradientMatchesNumericalGradientOnTieFreeInput(int n, int c, int h, int w, int kh, int kw, int s,
                                                               int p) {
        Random random = new Random(h * 10 + w);
        LayerChecks.gradientsMatchNumerical(new MaxPool2d(kh, kw, s, p), tieFree(random, n, c, h, w), 3);
    }

    @ParameterizedTest(name = "n={0} C={1} {2}x{3} window {4}x{5} stride {6} pad {7}")
    @CsvSource({"2, 2, 4, 4, 2, 2, 2, 0", "1, 3, 5, 7, 2, 3, 1, 1", "2, 1, 5, 5, 3, 3, 2, 2", "1, 2, 6, 5, 3, 2, 2, 1"})
    void avgPoolGradientMatchesNumericalGradient(int n, int c, int h, int w, int kh, int kw, int s, int p) {
        Random random = new Random(h * 10 + w + 1);
        LayerChecks.gradientsMatchNumerical(new AvgPool2d(kh, kw, s, p), Numeric.uniform(be, random, -2, 2, n, c, h,
                w), 4);
    }

    @Test
    void maxPoolTiesSendTheGradientToTheFirstElementInRowMajorOrderOnly() {
        // one channel 4x4 of 2x2 windows: all equal; tie on the anti-diagonal; tie in the bottom row; no tie
        Tensor x = be.fromArray(F64, Shape.of(1, 1, 4, 4),
                1, 1, 0, 3,
                1, 1, 3, 0,
                0, 0, 5, 9,
                2, 2, 1, 4);
        MaxPool2d pool = new MaxPool2d(2);
        assertArrayEquals(new double[] {1, 3, 2, 9}, pool.forward(x, Mode.TRAIN).toDoubleArray(), 0.0);
        Tensor dx = pool.backward(be.fromArray(F64, Shape.of(1, 1, 2, 2), 10, 20, 30, 40));
        assertArrayEquals(new double[] {
            10, 0, 0, 20,
            0, 0, 0, 0,
            0, 0, 0, 40,
            30, 0, 0, 0}, dx.toDoubleArray(), 0.0);
    }

    @Test
    void maxPoolPaddingNeverWins() {
        Tensor x = be.fromArray(F64, Shape.of(1, 1, 2, 2), -4, -3, -2, -1);
        MaxPool2d pool = new MaxPool2d(2, 2, 1, 1);
        Tensor y = pool.forward(x, Mode.TRAIN);
        assertEquals(Shape.of(1, 1, 3, 3), y.shape());
        assertArrayEquals(new double[] {-4, -3, -3, -2, -1, -1, -2, -1, -1}, y.toDoubleArray(), 0.0);
        Tensor dx = pool.backward(be.fromArray(F64, Shape.of(1, 1, 3, 3), 1, 1, 1, 1, 1, 1, 1, 1, 1));
        assertArrayEquals(new double[] {1, 2, 2, 4}, dx.toDoubleArray(), 0.0);
    }

    @Test
    void avgPoolCountsPaddingAsZeros() {
        Tensor x = be.fromArray(F64, Shape.of(1, 1, 2, 2), 4, 8, 12, 16);
        AvgPool2d pool = new AvgPool2d(2, 2, 2, 1);
        assertArrayEquals(new double[] {1, 2, 3, 4}, pool.forward(x, Mode.TRAIN).toDoubleArray(), 0.0);
        assertArrayEquals(new double[] {0.25, 0.5, 0.75, 1},
                pool.backward(be.fromArray(F64, Shape.of(1, 1, 2, 2), 1, 2, 3, 4)).toDoubleArray(), 0.0);
    }

    @Test
    void theBooksPoolingOfAChannelStackAndABatchOfOne() {
        Random random = new Random(21);
        Tensor x = tieFree(random, 1, 30, 24, 24);
        for (Layer pool : new Layer[] {new MaxPool2d(2), new AvgPool2d(2)}) {
            Tensor y = pool.forward(x, Mode.TRAIN);
            assertEquals(Shape.of(1, 30, 12, 12), y.shape());
            assertEquals(Shape.of(30, 12, 12), pool.outputShape(Shape.of(30, 24, 24)));
            Tensor dx = pool.backward(be.zerosLike(y));
            assertEquals(x.shape(), dx.shape());
            assertSame(y, pool.forward(x, Mode.TRAIN));
            assertSame(dx, pool.backward(be.zerosLike(y)));
        }
    }

    @Test
    void float32Works() {
        Tensor x = be.fromArray(DType.FLOAT32, Shape.of(1, 1, 2, 2), 1, 5, 3, 2);
        MaxPool2d max = new MaxPool2d(2);
        assertArrayEquals(new double[] {5}, max.forward(x, Mode.TRAIN).toDoubleArray(), 0.0);
        assertArrayEquals(new double[] {0, 1, 0, 0},
                max.backward(be.fromArray(DType.FLOAT32, Shape.of(1, 1, 1, 1), 1)).toDoubleArray(), 0.0);
        AvgPool2d avg = new AvgPool2d(2);
        assertArrayEquals(new double[] {2.75}, avg.forward(x, Mode.TRAIN).toDoubleArray(), 0.0);
    }

    @Test
    void backwardModifiesNeitherDoutNorXAndNeedsATrainingForward() {
        Random random = new Random(22);
        for (Layer pool : new Layer[] {new MaxPool2d(2, 3, 1, 1), new AvgPool2d(2, 3, 1, 1)}) {
            LayerChecks.argumentsUnchanged(pool, tieFree(random, 2, 2, 4, 5), 23);
        }
        for (Layer pool : new Layer[] {new MaxPool2d(2), new AvgPool2d(2)}) {
            Tensor dout = be.zeros(F64, Shape.of(1, 1, 1, 1));
            assertThrows(IllegalStateException.class, () -> pool.backward(dout));
            pool.forward(be.zeros(F64, Shape.of(1, 1, 2, 2)), Mode.INFERENCE);
            assertThrows(IllegalStateException.class, () -> pool.backward(dout));
        }
    }

    @Test
    void shapeAndArgumentErrorsNameTheLayer() {
        MaxPool2d pool = new MaxPool2d(3, 2, 2, 1);
        ShapeException rank = assertThrows(ShapeException.class,
                () -> pool.forward(be.zeros(F64, Shape.of(2, 16)), Mode.TRAIN));
        assertTrue(rank.getMessage().contains("MaxPool2d(3x2, stride 2, pad 1)")
                && rank.getMessage().contains("(2, 16)"), rank.getMessage());
        ShapeException small = assertThrows(ShapeException.class, () -> new AvgPool2d(5).outputShape(Shape.of(1,
                4, 4)));
        assertTrue(small.getMessage().contains("AvgPool2d(5x5") && small.getMessage().contains("(1, 4, 4)"),
                small.getMessage());
        assertThrows(ShapeException.class, () -> pool.outputShape(Shape.of(16)));
        pool.forward(be.zeros(F64, Shape.of(1, 1, 4, 4)), Mode.TRAIN);
        assertThrows(ShapeException.class, () -> pool.backward(be.zeros(F64, Shape.of(1, 1, 2, 2))));
        assertThrows(IllegalArgumentException.class, () -> new MaxPool2d(0));
        assertThrows(IllegalArgumentException.class, () -> new MaxPool2d(2, 2, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new AvgPool2d(2, 2, 2, 2));
        assertThrows(IllegalArgumentException.class, () -> new AvgPool2d(2, 3, 1, -1));
    }

    // ---- providers --------------------------------------------------------------------------------------------

    private static LayerProvider provider(String name) {
        return ServiceLoader.load(LayerProvider.class).stream().map(ServiceLoader.Provider::get)
                .filter(p -> p.name().equals(name)).findFirst().orElseThrow();
    }

    private LayerContext context(Shape input) {
        return new LayerContext(be, F64, input, new Random(1));
    }

    @Test
    void providersAreFoundByNameWithTheBooksDefaults() {
        LayerContext ctx = context(Shape.of(30, 24, 24));
        Layer max = provider("maxpool2d").create(Settings.empty(), ctx);
        Layer avg = provider("avgpool2d").create(Settings.empty(), ctx);
        assertInstanceOf(MaxPool2d.class, max);
        assertInstanceOf(AvgPool2d.class, avg);
        assertEquals("MaxPool2d(2x2, stride 2, pad 0)", max.toString());
        assertEquals("AvgPool2d(2x2, stride 2, pad 0)", avg.toString());
        assertEquals(Shape.of(30, 12, 12), max.outputShape(ctx.inputShape()));
        Layer rect = provider("maxpool2d").create(Settings.of("size", "2x3", "stride", 1, "pad", 1),
                context(Shape.of(2, 5, 7)));
        assertEquals(Shape.of(2, 6, 7), rect.outputShape(Shape.of(2, 5, 7)));
        Layer strided = provider("avgpool2d").create(Settings.of("size", 3, "stride", 1), context(Shape.of(1, 5, 5)));
        assertEquals(Shape.of(1, 3, 3), strided.outputShape(Shape.of(1, 5, 5)));
    }

    @Test
    void providerSettingsErrorsNameTheSetting() {
        for (String name : new String[] {"maxpool2d", "avgpool2d"}) {
            LayerProvider p = provider(name);
            LayerContext image = context(Shape.of(1, 6, 6));
            String[][] bad = {{"size", "2x3"}, {"size", "0"}, {"size", "two"}, {"stride", "0"}, {"pad", "2"},
                {"pad", "-1"}, {"kernel", "2"}};
            String[] names = {"stride", "size", "size", "stride", "pad", "pad", "'kernel'"};
            for (int i = 0; i < bad.length; i++) {
                Settings s = Settings.of((Object[]) bad[i]);
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.create(s, image));
                assertTrue(e.getMessage().startsWith(name) && e.getMessage().contains(names[i]),
                        s + ": " + e.getMessage());
            }
            ShapeException flat = assertThrows(ShapeException.class,
                    () -> p.create(Settings.empty(), context(Shape.of(36))));
            assertTrue(flat.getMessage().startsWith(name) && flat.getMessage().contains("(36)"), flat.getMessage());
            assertThrows(ShapeException.class, () -> p.create(Settings.of("size", 7), image));
        }
    }
}
