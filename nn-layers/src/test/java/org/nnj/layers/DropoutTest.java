package org.nnj.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nnj.layers.Numeric.F64;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nnj.api.Backend;
import org.nnj.api.Mode;
import org.nnj.api.Shape;
import org.nnj.api.ShapeException;
import org.nnj.api.Tensor;

class DropoutTest {
    private final Backend be = Numeric.cpu();

    private Tensor ones(int... dims) {
        Tensor t = be.zeros(F64, Shape.of(dims));
        be.fill(t, 1);
        return t;
    }

    @Test
    void rateOneHalfKeepsAboutHalfAndScalesByTwo() {
        Dropout dropout = new Dropout(0.5, 1L);
        double[] y = dropout.forward(ones(100, 100), Mode.TRAIN).toDoubleArray();
        long kept = Arrays.stream(y).filter(v -> v == 2).count();
        long dropped = Arrays.stream(y).filter(v -> v == 0).count();
        assertEquals(10_000, kept + dropped);
        // Binomial(10000, 0.5): std 50
        assertTrue(Math.abs(kept - 5000) < 250, "kept " + kept);
        assertEquals(1.0, Arrays.stream(y).average().orElseThrow(), 0.05);
    }

    @Test
    void inferenceIsTheIdentityAndLeavesTheMaskAlone() {
        Dropout dropout = new Dropout(0.5, 2L);
        Tensor x = Numeric.uniform(be, new Random(3), -1, 1, 4, 5);
        assertArrayEquals(x.toDoubleArray(), dropout.forward(x, Mode.INFERENCE).toDoubleArray(), 0.0);
        assertNull(dropout.mask());
        dropout.forward(x, Mode.TRAIN);
        double[] mask = dropout.mask().toDoubleArray();
        assertArrayEquals(x.toDoubleArray(), dropout.forward(x, Mode.INFERENCE).toDoubleArray(), 0.0);
        assertArrayEquals(mask, dropout.mask().toDoubleArray(), 0.0);
        assertThrows(IllegalStateException.class, () -> dropout.backward(x));
    }

    @Test
    void theSameSeedGivesTheSameMasksAndFreshMasksDiffer() {
        Tensor x = ones(8, 16);
        Dropout a = new Dropout(0.3, 7L);
        Dropout b = new Dropout(0.3, new Random(7));
        double[] first = a.forward(x, Mode.TRAIN).toDoubleArray();
        assertArrayEquals(first, b.forward(x, Mode.TRAIN).toDoubleArray(), 0.0);
        double[] second = a.forward(x, Mode.TRAIN).toDoubleArray();
        assertArrayEquals(second, b.forward(x, Mode.TRAIN).toDoubleArray(), 0.0);
        assertFalse(Arrays.equals(first, second));
        for (double v : first) {
            assertTrue(v == 0 || v == 1 / 0.7, "value " + v);
        }
    }

    @Test
    void backwardUsesTheForwardMask() {
        Dropout dropout = new Dropout(0.5, 4L);
        Tensor x = Numeric.uniform(be, new Random(5), 1, 2, 3, 6);
        dropout.forward(x, Mode.TRAIN);
        double[] mask = dropout.mask().toDoubleArray();
        Tensor dout = Numeric.uniform(be, new Random(6), -1, 1, 3, 6);
        double[] dx = dropout.backward(dout).toDoubleArray();
        for (int i = 0; i < dx.length; i++) {
            assertEquals(dout.get(i) * mask[i], dx[i], 0.0);
        }
        LayerChecks.argumentsUnchanged(new Dropout(0.5, 8L), x, 9);
    }

    @Test
    void aFrozenMaskIsReusedAndPassesTheGradientCheck() {
        Tensor x = Numeric.uniform(be, new Random(10), -1, 1, 3, 2, 4);
        Dropout dropout = new Dropout(0.4, 11L).freezeMask();
        assertTrue(dropout.maskFrozen());
        double[] first = dropout.forward(x, Mode.TRAIN).toDoubleArray();
        assertArrayEquals(first, dropout.forward(x, Mode.TRAIN).toDoubleArray(), 0.0);
        TrainModeGradients.gradientsMatchNumerical(dropout, x, 12);
        assertThrows(ShapeException.class, () -> dropout.forward(ones(2, 2), Mode.TRAIN));
        dropout.unfreezeMask();
        assertFalse(Arrays.equals(first, dropout.forward(x, Mode.TRAIN).toDoubleArray()));
    }

    @Test
    void rateZeroIsTheIdentityInTrainingToo() {
        Tensor x = Numeric.uniform(be, new Random(13), -1, 1, 2, 3);
        assertArrayEquals(x.toDoubleArray(), new Dropout(0, 1L).forward(x, Mode.TRAIN).toDoubleArray(), 0.0);
    }

    @Test
    void aRateOutsideZeroToOneIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new Dropout(1, 1L));
        assertThrows(IllegalArgumentException.class, () -> new Dropout(-0.1, 1L));
        assertThrows(IllegalArgumentException.class, () -> new Dropout(Double.NaN, 1L));
    }
}
