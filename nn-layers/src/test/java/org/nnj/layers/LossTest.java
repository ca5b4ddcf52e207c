package org.nnj.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nnj.layers.Numeric.F64;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nnj.api.Backend;
import org.nnj.api.Loss;
import org.nnj.api.Shape;
import org.nnj.api.ShapeException;
import org.nnj.api.Tensor;

/** SoftmaxCrossEntropy and SquaredError. */
class LossTest {
    private final Backend be = Numeric.cpu();

    /** Row 0 scores (0, 0, 0) give p = 1/3 each; row 1 scores (0, ln 3, 0) give p = (0.2, 0.6, 0.2). */
    private Tensor handScores() {
        return be.fromArray(F64, Shape.of(2, 3), 0, 0, 0, 0, Math.log(3), 0);
    }

    @Test
    void softmaxCrossEntropyByHandWithClassIndices() {
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
        Tensor target = be.fromArray(F64, Shape.of(2), 0, 1);
        // mean(−ln(1/3), −ln 0.6) = (ln 3 + ln 5 − ln 3) / 2 = ln 5 / 2
        assertEquals(Math.log(5) / 2, loss.forward(handScores(), target), 1e-14);
        assertArrayEquals(new double[] {1.0 / 3, 1.0 / 3, 1.0 / 3, 0.2, 0.6, 0.2},
                loss.probabilities().toDoubleArray(), 1e-15);
        // (y − t) / batch
        assertArrayEquals(new double[] {-1.0 / 3, 1.0 / 6, 1.0 / 6, 0.1, -0.2, 0.1},
                loss.backward().toDoubleArray(), 1e-15);
    }

    @Test
    void softmaxCrossEntropyOneHotEqualsClassIndices() {
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
        Tensor oneHot = be.fromArray(F64, Shape.of(2, 3), 1, 0, 0, 0, 1, 0);
        assertEquals(Math.log(5) / 2, loss.forward(handScores(), oneHot), 1e-14);
        assertArrayEquals(new double[] {-1.0 / 3, 1.0 / 6, 1.0 / 6, 0.1, -0.2, 0.1},
                loss.backward().toDoubleArray(), 1e-15);
    }

    @Test
    void softmaxCrossEntropyGradientMatchesNumericalGradient() {
        Random random = new Random(31);
        Tensor scores = Numeric.uniform(be, random, -3, 3, 4, 5);
        checkLoss(new SoftmaxCrossEntropy(), scores, be.fromArray(F64, Shape.of(4), 0, 4, 2, 2));
        Tensor oneHot = be.zeros(F64, Shape.of(4, 5));
        int[] labels = {1, 3, 0, 4};
        for (int i = 0; i < labels.length; i++) {
            oneHot.set(i * 5 + labels[i], 1);
        }
        checkLoss(new SoftmaxCrossEntropy(), scores, oneHot);
    }

    @Test
    void squaredErrorByHandAveragesOverTheBatch() {
        SquaredError loss = new SquaredError();
        Tensor y = be.fromArray(F64, Shape.of(2, 2), 1, 2, 3, 4);
        Tensor t = be.fromArray(F64, Shape.of(2, 2), 0, 2, 5, 4);
        // ½·(1² + 0² + 2² + 0²) = 2.5, over a batch of 2
        assertEquals(1.25, loss.forward(y, t), 1e-15);
        assertArrayEquals(new double[] {0.5, 0, -1, 0}, loss.backward().toDoubleArray(), 1e-15);
    }

    @Test
    void squaredErrorOfAVectorOrScalarIsOneSample() {
        SquaredError loss = new SquaredError();
        assertEquals(7.0, loss.forward(be.fromArray(F64, Shape.of(3), 1, 2, 3), be.zeros(F64, Shape.of(3))), 1e-15);
        assertArrayEquals(new double[] {1, 2, 3}, loss.backward().toDoubleArray(), 1e-15);
        Tensor y = be.fromArray(F64, Shape.scalar(), 220);
        assertEquals(0.5, loss.forward(y, be.fromArray(F64, Shape.scalar(), 219)), 1e-15);
        assertEquals(1.0, loss.backward().item(), 1e-15);
    }

    @Test
    void squaredErrorGradientMatchesNumericalGradient() {
        Random random = new Random(32);
        checkLoss(new SquaredError(), Numeric.uniform(be, random, -2, 2, 3, 4),
                Numeric.uniform(be, random, -2, 2, 3, 4));
    }

    @Test
    void backwardModifiesNeitherScoresNorTarget() {
        Tensor scores = handScores();
        Tensor target = be.fromArray(F64, Shape.of(2), 2, 1);
        SoftmaxCrossEntropy ce = new SoftmaxCrossEntropy();
        ce.forward(scores, target);
        ce.backward();
        assertArrayEquals(handScores().toDoubleArray(), scores.toDoubleArray(), 0.0);
        assertArrayEquals(new double[] {2, 1}, target.toDoubleArray(), 0.0);
        Tensor t2 = be.fromArray(F64, Shape.of(2, 3), 1, 1, 1, 1, 1, 1);
        SquaredError se = new SquaredError();
        se.forward(scores, t2);
        se.backward();
        assertArrayEquals(handScores().toDoubleArray(), scores.toDoubleArray(), 0.0);
        assertArrayEquals(new double[] {1, 1, 1, 1, 1, 1}, t2.toDoubleArray(), 0.0);
    }

    @Test
    void backwardAndProbabilitiesBeforeForwardThrow() {
        assertThrows(IllegalStateException.class, () -> new SoftmaxCrossEntropy().backward());
        assertThrows(IllegalStateException.class, () -> new SoftmaxCrossEntropy().probabilities());
        assertThrows(IllegalStateException.class, () -> new SquaredError().backward());
    }

    @Test
    void reusesItsGradientBuffer() {
        SquaredError loss = new SquaredError();
        Tensor y = be.fromArray(F64, Shape.of(2), 1, 2);
        loss.forward(y, y);
        Tensor first = loss.backward();
        loss.forward(y, y);
        assertSame(first, loss.backward());
    }

    @Test
    void shapesThatDoNotFitAreNamed() {
        ShapeException ce = assertThrows(ShapeException.class,
                () -> new SoftmaxCrossEntropy().forward(handScores(), be.zeros(F64, Shape.of(3))));
        assertTrue(ce.getMessage().contains("SoftmaxCrossEntropy") && ce.getMessage().contains("(2, 3)")
                && ce.getMessage().contains("(3)"), ce.getMessage());
        ShapeException rank = assertThrows(ShapeException.class,
                () -> new SoftmaxCrossEntropy().forward(be.zeros(F64, Shape.of(3)), be.zeros(F64, Shape.of(3))));
        assertTrue(rank.getMessage().contains("(n, c)"), rank.getMessage());
        ShapeException se = assertThrows(ShapeException.class,
                () -> new SquaredError().forward(handScores(), be.zeros(F64, Shape.of(3, 2))));
        assertTrue(se.getMessage().contains("SquaredError") && se.getMessage().contains("(2, 3)")
                && se.getMessage().contains("(3, 2)"), se.getMessage());
    }

    /** backward() against central differences of forward with respect to the scores. */
    private void checkLoss(Loss loss, Tensor scores, Tensor target) {
        loss.forward(scores, target);
        double[] analytic = loss.backward().toDoubleArray();
        double[] numeric = Numeric.gradient(scores, () -> loss.forward(scores, target));
        LayerChecks.assertGradient(loss + " dscores", analytic, numeric);
    }
}
