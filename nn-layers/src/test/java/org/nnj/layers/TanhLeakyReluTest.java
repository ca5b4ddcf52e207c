package org.nnj.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.nnj.layers.Numeric.F64;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nnj.api.Backend;
import org.nnj.api.DType;
import org.nnj.api.Mode;
import org.nnj.api.Shape;
import org.nnj.api.Tensor;

/** Tanh and LeakyRelu. */
class TanhLeakyReluTest {
    private final Backend be = Numeric.cpu();

    @Test
    void tanhForwardAndBackwardByHand() {
        Tanh tanh = new Tanh();
        double t = Math.tanh(1);
        Tensor y = tanh.forward(be.fromArray(F64, Shape.of(1, 3), 0, 1, -1), Mode.TRAIN);
        assertArrayEquals(new double[] {0, t, -t}, y.toDoubleArray(), 1e-15);
        Tensor dx = tanh.backward(be.fromArray(F64, Shape.of(1, 3), 2, 3, 4));
        assertArrayEquals(new double[] {2, 3 * (1 - t * t), 4 * (1 - t * t)}, dx.toDoubleArray(), 1e-15);
    }

    @Test
    void tanhGradientMatchesNumericalGradient() {
        LayerChecks.gradientsMatchNumerical(new Tanh(), Numeric.uniform(be, new Random(21), -2, 2, 3, 2, 2), 22);
        LayerChecks.argumentsUnchanged(new Tanh(), Numeric.uniform(be, new Random(23), -2, 2, 3, 4), 24);
    }

    @Test
    void leakyReluForwardAndBackwardByHand() {
        LeakyRelu layer = new LeakyRelu(0.1);
        Tensor y = layer.forward(be.fromArray(F64, Shape.of(2, 2), -2, 0, 3, -0.5), Mode.TRAIN);
        assertArrayEquals(new double[] {-0.2, 0, 3, -0.05}, y.toDoubleArray(), 1e-15);
        Tensor dx = layer.backward(be.fromArray(F64, Shape.of(2, 2), 1, 1, 1, 1));
        assertArrayEquals(new double[] {0.1, 0.1, 1, 0.1}, dx.toDoubleArray(), 1e-15);
        assertEquals(0.01, new LeakyRelu().alpha());
    }

    @Test
    void leakyReluGradientMatchesNumericalGradientAwayFromZero() {
        Random random = new Random(25);
        Tensor x = Numeric.uniform(be, random, 0.1, 2, 4, 5);
        for (int i = 0; i < x.size(); i++) {
            if (random.nextBoolean()) {
                x.set(i, -x.get(i));
            }
        }
        LayerChecks.gradientsMatchNumerical(new LeakyRelu(0.2), x, 26);
        LayerChecks.argumentsUnchanged(new LeakyRelu(0.2), x, 27);
    }

    @Test
    void float32Works() {
        Tensor x = be.fromArray(DType.FLOAT32, Shape.of(1, 2), -1, 1);
        assertArrayEquals(new double[] {-0.01f, 1}, new LeakyRelu().forward(x, Mode.INFERENCE).toDoubleArray(), 0.0);
        assertArrayEquals(new double[] {(float) Math.tanh(-1), (float) Math.tanh(1)},
                new Tanh().forward(x, Mode.INFERENCE).toDoubleArray(), 0.0);
    }

    @Test
    void invalidAlphaAndBackwardBeforeForwardAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new LeakyRelu(-0.1));
        assertThrows(IllegalArgumentException.class, () -> new LeakyRelu(Double.NaN));
        Tensor dout = be.zeros(F64, Shape.of(2, 2));
        assertThrows(IllegalStateException.class, () -> new Tanh().backward(dout));
        LeakyRelu layer = new LeakyRelu();
        layer.forward(dout, Mode.INFERENCE);
        assertThrows(IllegalStateException.class, () -> layer.backward(dout));
    }
}
