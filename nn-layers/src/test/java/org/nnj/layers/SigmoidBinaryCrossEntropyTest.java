package org.nnj.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nnj.layers.Numeric.F64;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nnj.api.Backend;
import org.nnj.api.DType;
import org.nnj.api.Shape;
import org.nnj.api.ShapeException;
import org.nnj.api.Tensor;

class SigmoidBinaryCrossEntropyTest {
    private final Backend be = Numeric.cpu();

    @Test
    void byHand() {
        SigmoidBinaryCrossEntropy loss = new SigmoidBinaryCrossEntropy();
        Tensor scores = be.fromArray(F64, Shape.of(2, 1), 0, Math.log(3));
        Tensor target = be.fromArray(F64, Shape.of(2, 1), 1, 0);
        // mean(−ln 0.5, −ln(1 − 0.75))
        assertEquals((Math.log(2) + Math.log(4)) / 2, loss.forward(scores, target), 1e-15);
        assertArrayEquals(new double[] {0.5, 0.75}, loss.probabilities().toDoubleArray(), 1e-15);
        assertArrayEquals(new double[] {-0.25, 0.375}, loss.backward().toDoubleArray(), 1e-15);
    }

    @Test
    void gradientMatchesNumericalGradient() {
        Random random = new Random(41);
        Tensor scores = Numeric.uniform(be, random, -4, 4, 4, 3);
        Tensor target = Numeric.uniform(be, random, 0, 1, 4, 3);
        target.set(0, 0);
        target.set(1, 1);
        SigmoidBinaryCrossEntropy loss = new SigmoidBinaryCrossEntropy();
        loss.forward(scores, target);
        double[] analytic = loss.backward().toDoubleArray();
        double[] numeric = Numeric.gradient(scores, () -> new SigmoidBinaryCrossEntropy().forward(scores, target));
        LayerChecks.assertGradient("SigmoidBinaryCrossEntropy", analytic, numeric);
    }

    @Test
    void hugeLogitsGiveFiniteExactLosses() {
        for (DType dtype : DType.values()) {
            SigmoidBinaryCrossEntropy loss = new SigmoidBinaryCrossEntropy();
            assertEquals(1000, loss.forward(be.fromArray(dtype, Shape.of(1, 1), 1000),
                    be.fromArray(dtype, Shape.of(1, 1), 0)), 0.0);
            assertArrayEquals(new double[] {1}, loss.backward().toDoubleArray(), 0.0);
            double huge = loss.forward(be.fromArray(dtype, Shape.of(2, 1), -1e30, 1e30),
                    be.fromArray(dtype, Shape.of(2, 1), 1, 1));
            assertTrue(Double.isFinite(huge), dtype + ": " + huge);
            assertEquals(0.5e30, huge, 1e24);
            assertArrayEquals(new double[] {-0.5, 0}, loss.backward().toDoubleArray(), 0.0);
        }
    }

    @Test
    void shapesAndStateAreChecked() {
        SigmoidBinaryCrossEntropy loss = new SigmoidBinaryCrossEntropy();
        assertThrows(IllegalStateException.class, loss::backward);
        assertThrows(ShapeException.class, () -> loss.forward(be.zeros(F64, Shape.of(2, 1)), be.zeros(F64, Shape.of(2))));
        assertThrows(ShapeException.class, () -> loss.forward(be.zeros(F64, Shape.of(2, 1)),
                be.fromArray(F64, Shape.of(2, 1), 0, 2)));
        assertThrows(IllegalStateException.class, loss::backward);
    }
}
