package org.nnj.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nnj.layers.Numeric.F64;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nnj.api.Backend;
import org.nnj.api.Mode;
import org.nnj.api.Shape;
import org.nnj.api.ShapeException;
import org.nnj.api.Tensor;

/** Relu and Sigmoid. */
class ActivationTest {
    private final Backend be = Numeric.cpu();

    /** Values in [0.1, 2] with random signs: never within a finite-difference step of ReLU's kink at 0. */
    private Tensor awayFromZero(Random random, int... dims) {
        Tensor x = Numeric.uniform(be, random, 0.1, 2, dims);
        for (int i = 0; i < x.size(); i++) {
            if (random.nextBoolean()) {
                x.set(i, -x.get(i));
            }
        }
        return x;
    }

    @Test
    void reluForwardAndBackwardByHand() {
        Relu relu = new Relu();
        Tensor y = relu.forward(be.fromArray(F64, Shape.of(2, 3), -1, 0, 2, 3, -0.5, 0.25), Mode.TRAIN);
        assertArrayEquals(new double[] {0, 0, 2, 3, 0, 0.25}, y.toDoubleArray(), 0.0);
        Tensor dx = relu.backward(be.fromArray(F64, Shape.of(2, 3), 10, 20, 30, 40, 50, 60));
        // the gradient at exactly 0 is 0, as in the book
        assertArrayEquals(new double[] {0, 0, 30, 40, 0, 60}, dx.toDoubleArray(), 0.0);
    }

    @Test
    void reluGradientMatchesNumericalGradient() {
        Random random = new Random(11);
        LayerChecks.gradientsMatchNumerical(new Relu(), awayFromZero(random, 4, 5), 12);
    }

    @Test
    void reluLeavesDoutAndXAlone() {
        // the book's Relu.backward writes dout[mask] = 0 in place; this one must not
        LayerChecks.argumentsUnchanged(new Relu(), awayFromZero(new Random(13), 3, 4), 14);
    }

    @Test
    void sigmoidForwardAndBackwardByHand() {
        Sigmoid sigmoid = new Sigmoid();
        Tensor y = sigmoid.forward(be.fromArray(F64, Shape.of(1, 3), 0, Math.log(3), -Math.log(3)), Mode.TRAIN);
        assertArrayEquals(new double[] {0.5, 0.75, 0.25}, y.toDoubleArray(), 1e-15);
        Tensor dx = sigmoid.backward(be.fromArray(F64, Shape.of(1, 3), 1, 2, 4));
        // dout · y · (1 − y)
        assertArrayEquals(new double[] {0.25, 2 * 0.1875, 4 * 0.1875}, dx.toDoubleArray(), 1e-15);
    }

    @Test
    void sigmoidGradientMatchesNumericalGradient() {
        LayerChecks.gradientsMatchNumerical(new Sigmoid(), Numeric.uniform(be, new Random(15), -3, 3, 3, 4), 16);
    }

    @Test
    void sigmoidLeavesDoutAndXAlone() {
        LayerChecks.argumentsUnchanged(new Sigmoid(), Numeric.uniform(be, new Random(17), -3, 3, 3, 4), 18);
    }

    @Test
    void backwardBeforeTrainingForwardThrows() {
        Tensor dout = be.zeros(F64, Shape.of(2, 2));
        assertThrows(IllegalStateException.class, () -> new Relu().backward(dout));
        assertThrows(IllegalStateException.class, () -> new Sigmoid().backward(dout));
        Sigmoid sigmoid = new Sigmoid();
        sigmoid.forward(dout, Mode.INFERENCE);
        assertThrows(IllegalStateException.class, () -> sigmoid.backward(dout));
    }

    @Test
    void doutOfTheWrongShapeNamesTheLayerAndBothShapes() {
        Relu relu = new Relu();
        relu.forward(be.zeros(F64, Shape.of(2, 2)), Mode.TRAIN);
        ShapeException e = assertThrows(ShapeException.class, () -> relu.backward(be.zeros(F64, Shape.of(2, 3))));
        assertTrue(e.getMessage().contains("Relu") && e.getMessage().contains("(2, 3)")
                && e.getMessage().contains("(2, 2)"), e.getMessage());
    }

    @Test
    void outputShapeIsTheInputShape() {
        assertEquals(Shape.of(1, 28, 28), new Relu().outputShape(Shape.of(1, 28, 28)));
        assertEquals(Shape.of(50), new Sigmoid().outputShape(Shape.of(50)));
    }
}
