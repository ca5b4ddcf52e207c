package org.nnj.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.nnj.layers.Numeric.F64;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nnj.api.Backend;
import org.nnj.api.Mode;
import org.nnj.api.Shape;
import org.nnj.api.ShapeException;
import org.nnj.api.Tensor;

class FlattenTest {
    private final Backend be = Numeric.cpu();

    @Test
    void aBatchOfOneKeepsItsBatchAxisAndNothingIsCopied() {
        Flatten flatten = new Flatten();
        Tensor x = Numeric.uniform(be, new Random(1), -1, 1, 1, 2, 3, 4);
        Tensor y = flatten.forward(x, Mode.TRAIN);
        assertEquals(Shape.of(1, 24), y.shape());
        x.set(23, 42); // a view: writes through x are seen through y
        assertEquals(42, y.get(23));
        Tensor dout = Numeric.uniform(be, new Random(2), -1, 1, 1, 24);
        Tensor dx = flatten.backward(dout);
        assertEquals(Shape.of(1, 2, 3, 4), dx.shape());
        dout.set(5, 7);
        assertEquals(7, dx.get(5));
    }

    @Test
    void shapes() {
        Flatten flatten = new Flatten();
        assertEquals(Shape.of(5, 1), flatten.forward(be.zeros(F64, Shape.of(5)), Mode.INFERENCE).shape());
        assertEquals(Shape.of(5, 3), flatten.forward(be.zeros(F64, Shape.of(5, 3)), Mode.INFERENCE).shape());
        assertEquals(Shape.of(784), flatten.outputShape(Shape.of(1, 28, 28)));
    }

    @Test
    void gradientMatchesNumericalGradient() {
        LayerChecks.gradientsMatchNumerical(new Flatten(), Numeric.uniform(be, new Random(3), -1, 1, 2, 3, 2, 2), 4);
    }

    @Test
    void backwardChecksStateAndShape() {
        Flatten flatten = new Flatten();
        assertThrows(IllegalStateException.class, () -> flatten.backward(be.zeros(F64, Shape.of(2, 6))));
        flatten.forward(be.zeros(F64, Shape.of(2, 2, 3)), Mode.TRAIN);
        assertThrows(ShapeException.class, () -> flatten.backward(be.zeros(F64, Shape.of(2, 2, 3))));
        flatten.forward(be.zeros(F64, Shape.of(2, 2, 3)), Mode.INFERENCE);
        assertThrows(IllegalStateException.class, () -> flatten.backward(be.zeros(F64, Shape.of(2, 6))));
    }
}
