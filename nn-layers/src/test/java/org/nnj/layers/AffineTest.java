package org.nnj.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nnj.layers.Numeric.F64;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nnj.api.Backend;
import org.nnj.api.DType;
import org.nnj.api.Mode;
import org.nnj.api.Shape;
import org.nnj.api.ShapeException;
import org.nnj.api.Tensor;

class AffineTest {
    private final Backend be = Numeric.cpu();

    /** X (2×3), W (3×2), b (2), worked by hand. */
    private Affine handWorked() {
        Tensor w = be.fromArray(F64, Shape.of(3, 2), 0.1, 0.2, 0.3, 0.4, 0.5, 0.6);
        Tensor b = be.fromArray(F64, Shape.of(2), 1, -1);
        return new Affine(w, b);
    }

    private Tensor handX() {
        return be.fromArray(F64, Shape.of(2, 3), 1, 2, 3, 4, 5, 6);
    }

    @Test
    void forwardMatchesHandComputedValues() {
        // row 0: 1·0.1+2·0.3+3·0.5 = 2.2, 1·0.2+2·0.4+3·0.6 = 2.8; row 1: 4.9, 6.4; plus b = (1, −1)
        Tensor y = handWorked().forward(handX(), Mode.TRAIN);
        assertEquals(Shape.of(2, 2), y.shape());
        assertArrayEquals(new double[] {3.2, 1.8, 5.9, 5.4}, y.toDoubleArray(), 1e-12);
    }

    @Test
    void backwardMatchesHandComputedValues() {
        Affine affine = handWorked();
        affine.forward(handX(), Mode.TRAIN);
        Tensor dx = affine.backward(be.fromArray(F64, Shape.of(2, 2), 1, 0, 0, 1));
        // dX = dY·Wᵀ: row n is column n of W.  dW = Xᵀ·dY: column n is row n of X.  db = column sums of dY.
        assertArrayEquals(new double[] {0.1, 0.3, 0.5, 0.2, 0.4, 0.6}, dx.toDoubleArray(), 1e-12);
        assertArrayEquals(new double[] {1, 4, 2, 5, 3, 6}, affine.weight().grad().toDoubleArray(), 1e-12);
        assertArrayEquals(new double[] {1, 1}, affine.bias().grad().toDoubleArray(), 1e-12);
    }

    @Test
    void backwardParametersAddsTheSameParameterGradientsWithoutDx() {
        Affine affine = handWorked();
        affine.forward(handX(), Mode.TRAIN);
        affine.backwardParameters(be.fromArray(F64, Shape.of(2, 2), 1, 0, 0, 1));
        assertArrayEquals(new double[] {1, 4, 2, 5, 3, 6}, affine.weight().grad().toDoubleArray(), 1e-12);
        assertArrayEquals(new double[] {1, 1}, affine.bias().grad().toDoubleArray(), 1e-12);
        Affine fresh = handWorked();
        assertThrows(IllegalStateException.class,
                () -> fresh.backwardParameters(be.fromArray(F64, Shape.of(2, 2), 1, 0, 0, 1)));
    }

    @Test
    void gradientsMatchNumericalGradient() {
        Random random = new Random(1);
        Affine affine = new Affine(be, F64, 4, 3, random, 1.0);
        be.axpy(1.0, Numeric.uniform(be, random, -1, 1, 3), affine.bias().value());
        LayerChecks.gradientsMatchNumerical(affine, Numeric.uniform(be, random, -2, 2, 5, 4), 2);
    }

    @Test
    void flattensImageShapedInputAndReturnsDxInItsShape() {
        Random random = new Random(3);
        Affine affine = new Affine(be, F64, 4, 3, random, 1.0);
        Tensor x = Numeric.uniform(be, random, -1, 1, 2, 1, 2, 2);
        Tensor y = affine.forward(x, Mode.TRAIN);
        assertEquals(Shape.of(2, 3), y.shape());
        Tensor flat = be.fromArray(F64, Shape.of(2, 4), x.toDoubleArray());
        assertArrayEquals(new Affine(affine.weight().value(), affine.bias().value())
                .forward(flat, Mode.TRAIN).toDoubleArray(), y.toDoubleArray(), 0.0);
        assertEquals(x.shape(), affine.backward(Numeric.uniform(be, random, -1, 1, 2, 3)).shape());
        LayerChecks.gradientsMatchNumerical(affine, x, 4);
    }

    @Test
    void worksInFloat32Too() {
        Tensor w = be.fromArray(DType.FLOAT32, Shape.of(3, 2), 0.1, 0.2, 0.3, 0.4, 0.5, 0.6);
        Affine affine = new Affine(w, be.fromArray(DType.FLOAT32, Shape.of(2), 1, -1));
        Tensor y = affine.forward(be.fromArray(DType.FLOAT32, Shape.of(2, 3), 1, 2, 3, 4, 5, 6), Mode.TRAIN);
        assertEquals(DType.FLOAT32, y.dtype());
        assertArrayEquals(new double[] {3.2, 1.8, 5.9, 5.4}, y.toDoubleArray(), 1e-5);
        assertEquals(DType.FLOAT32, affine.backward(be.zeros(DType.FLOAT32, Shape.of(2, 2))).dtype());
    }

    @Test
    void parameterGradientsAccumulateOverBackwardCalls() {
        Affine affine = handWorked();
        affine.forward(handX(), Mode.TRAIN);
        Tensor dout = be.fromArray(F64, Shape.of(2, 2), 1, 0, 0, 1);
        affine.backward(dout);
        affine.backward(dout);
        assertArrayEquals(new double[] {2, 8, 4, 10, 6, 12}, affine.weight().grad().toDoubleArray(), 1e-12);
        assertArrayEquals(new double[] {2, 2}, affine.bias().grad().toDoubleArray(), 1e-12);
    }

    @Test
    void backwardModifiesNeitherDoutNorX() {
        LayerChecks.argumentsUnchanged(new Affine(be, F64, 3, 2, new Random(5), 1.0),
                Numeric.uniform(be, new Random(6), -1, 1, 4, 3), 7);
    }

    @Test
    void backwardBeforeTrainingForwardThrows() {
        Affine affine = handWorked();
        Tensor dout = be.zeros(F64, Shape.of(2, 2));
        assertThrows(IllegalStateException.class, () -> affine.backward(dout));
        affine.forward(handX(), Mode.INFERENCE);
        assertThrows(IllegalStateException.class, () -> affine.backward(dout));
    }

    @Test
    void reusesBuffersWhileTheBatchShapeIsUnchanged() {
        Affine affine = handWorked();
        Tensor y1 = affine.forward(handX(), Mode.TRAIN);
        Tensor y2 = affine.forward(handX(), Mode.TRAIN);
        assertSame(y1, y2);
        Tensor dout = be.zeros(F64, Shape.of(2, 2));
        assertSame(affine.backward(dout), affine.backward(dout));
        Tensor y3 = affine.forward(be.zeros(F64, Shape.of(5, 3)), Mode.TRAIN);
        assertNotSame(y1, y3);
        assertEquals(Shape.of(5, 2), y3.shape());
    }

    @Test
    void inputOfTheWrongSizeNamesTheLayerAndBothShapes() {
        ShapeException e = assertThrows(ShapeException.class,
                () -> handWorked().forward(be.zeros(F64, Shape.of(2, 4)), Mode.TRAIN));
        assertTrue(e.getMessage().contains("Affine(3 -> 2)"), e.getMessage());
        assertTrue(e.getMessage().contains("(2, 4)"), e.getMessage());
        assertTrue(e.getMessage().contains("(n, 3)"), e.getMessage());
    }

    @Test
    void doutOfTheWrongShapeNamesTheLayerAndBothShapes() {
        Affine affine = handWorked();
        affine.forward(handX(), Mode.TRAIN);
        ShapeException e = assertThrows(ShapeException.class,
                () -> affine.backward(be.zeros(F64, Shape.of(2, 3))));
        assertTrue(e.getMessage().contains("Affine(3 -> 2)"), e.getMessage());
        assertTrue(e.getMessage().contains("(2, 3)") && e.getMessage().contains("(2, 2)"), e.getMessage());
    }

    @Test
    void outputShapeChecksTheInputSize() {
        Affine affine = handWorked();
        assertEquals(Shape.of(2), affine.outputShape(Shape.of(3)));
        assertEquals(Shape.of(2), affine.outputShape(Shape.of(1, 3)));
        ShapeException e = assertThrows(ShapeException.class, () -> affine.outputShape(Shape.of(4)));
        assertTrue(e.getMessage().contains("Affine(3 -> 2)") && e.getMessage().contains("(4)"), e.getMessage());
    }

    @Test
    void randomConstructorDrawsScaledGaussiansRowMajorAndZeroBias() {
        Affine affine = new Affine(be, F64, 2, 3, new Random(42), 0.01);
        Random expected = new Random(42);
        double[] w = affine.weight().value().toDoubleArray();
        assertEquals(Shape.of(2, 3), affine.weight().value().shape());
        for (double v : w) {
            assertEquals(0.01 * expected.nextGaussian(), v, 0.0);
        }
        assertArrayEquals(new double[3], affine.bias().value().toDoubleArray(), 0.0);
        assertEquals(List.of("W", "b"), affine.parameters().stream().map(p -> p.name()).toList());
    }

    @Test
    void tensorConstructorRejectsParametersThatDoNotFit() {
        Tensor w = be.zeros(F64, Shape.of(3, 2));
        ShapeException e = assertThrows(ShapeException.class, () -> new Affine(w, be.zeros(F64, Shape.of(3))));
        assertTrue(e.getMessage().contains("(3, 2)") && e.getMessage().contains("(3)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Affine(be, F64, 0, 2, new Random(), 0.01));
        assertThrows(IllegalArgumentException.class, () -> new Affine(be, F64, 3, 2, new Random(), Double.NaN));
    }
}
