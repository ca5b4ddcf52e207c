package org.nnj.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
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

class BatchNormTest {
    private final Backend be = Numeric.cpu();

    /** Non-trivial gamma and beta, so that their gradients and dx's dependence on gamma are exercised. */
    private static BatchNorm withGammaBeta(BatchNorm bn, Random random) {
        for (int c = 0; c < bn.channels(); c++) {
            bn.gamma().value().set(c, 0.5 + random.nextDouble());
            bn.beta().value().set(c, random.nextDouble() - 0.5);
        }
        return bn;
    }

    @Test
    void denseMeanAndVarianceByHand() {
        BatchNorm bn = new BatchNorm(be, F64, 2);
        // feature 0: 1, 2, 3, 4 → mean 2.5, biased variance 1.25; feature 1: 0, 0, 0, 8 → mean 2, variance 12
        Tensor y = bn.forward(be.fromArray(F64, Shape.of(4, 2), 1, 0, 2, 0, 3, 0, 4, 8), Mode.TRAIN);
        double s0 = 1 / Math.sqrt(1.25 + 1e-5);
        double s1 = 1 / Math.sqrt(12 + 1e-5);
        assertArrayEquals(new double[] {-1.5 * s0, -2 * s1, -0.5 * s0, -2 * s1, 0.5 * s0, -2 * s1, 1.5 * s0, 6 * s1},
                y.toDoubleArray(), 1e-14);
        // running: 0.9 · (0, 1) + 0.1 · (mean, unbiased variance (5/3, 16))
        assertArrayEquals(new double[] {0.25, 0.2}, bn.runningMean().toDoubleArray(), 1e-15);
        assertArrayEquals(new double[] {0.9 + 0.1 * 5 / 3.0, 0.9 + 1.6}, bn.runningVar().toDoubleArray(), 1e-15);
        assertEquals(List.of("gamma", "beta"), bn.parameters().stream().map(p -> p.name()).toList());
        assertArrayEquals(new double[] {1, 1}, bn.gamma().value().toDoubleArray(), 0.0);
        assertArrayEquals(new double[] {0, 0}, bn.beta().value().toDoubleArray(), 0.0);
    }

    @Test
    void runningStatisticsAfterTwoStepsAndInferenceUsesThem() {
        BatchNorm bn = new BatchNorm(be, F64, 1, 0.8, 1e-5);
        bn.forward(be.fromArray(F64, Shape.of(2, 1), 0, 2), Mode.TRAIN); // mean 1, unbiased variance 2
        bn.forward(be.fromArray(F64, Shape.of(3, 1), 3, 6, 9), Mode.TRAIN); // mean 6, unbiased variance 9
        double mean = 0.8 * (0.8 * 0 + 0.2 * 1) + 0.2 * 6;
        double var = 0.8 * (0.8 * 1 + 0.2 * 2) + 0.2 * 9;
        assertEquals(mean, bn.runningMean().get(0), 1e-14);
        assertEquals(var, bn.runningVar().get(0), 1e-14);

        double[] before = {bn.runningMean().get(0), bn.runningVar().get(0)};
        bn.gamma().value().set(0, 2);
        bn.beta().value().set(0, 0.5);
        // a batch of one is fine in inference, and normalised by the running statistics
        Tensor y = bn.forward(be.fromArray(F64, Shape.of(1, 1), 5), Mode.INFERENCE);
        assertEquals(2 * (5 - mean) / Math.sqrt(var + 1e-5) + 0.5, y.get(0), 1e-14);
        assertArrayEquals(before, new double[] {bn.runningMean().get(0), bn.runningVar().get(0)}, 0.0);
        assertThrows(IllegalStateException.class, () -> bn.backward(y));
    }

    @Test
    void convolutionalInputIsNormalisedPerChannel() {
        BatchNorm bn = new BatchNorm(be, F64, 3);
        Tensor x = Numeric.uniform(be, new Random(1), -2, 5, 4, 3, 2, 5);
        double[] y = bn.forward(x, Mode.TRAIN).toDoubleArray();
        for (int c = 0; c < 3; c++) {
            double sum = 0;
            double sq = 0;
            for (int i = 0; i < 4; i++) {
                for (int k = 0; k < 10; k++) {
                    double v = y[(i * 3 + c) * 10 + k];
                    sum += v;
                    sq += v * v;
                }
            }
            assertEquals(0, sum / 40, 1e-12, "mean of channel " + c);
            assertEquals(1, sq / 40, 1e-4, "variance of channel " + c); // var / (var + eps)
        }
    }

    @Test
    void denseGradientsMatchNumericalGradients() {
        Random random = new Random(2);
        TrainModeGradients.gradientsMatchNumerical(withGammaBeta(new BatchNorm(be, F64, 5), random),
                Numeric.uniform(be, random, -3, 3, 6, 5), 3);
    }

    @Test
    void convolutionalGradientsMatchNumericalGradients() {
        Random random = new Random(4);
        TrainModeGradients.gradientsMatchNumerical(withGammaBeta(new BatchNorm(be, F64, 2), random),
                Numeric.uniform(be, random, -3, 3, 3, 2, 3, 2), 5);
        // a batch of one image still has H·W values per channel
        TrainModeGradients.gradientsMatchNumerical(withGammaBeta(new BatchNorm(be, F64, 2), random),
                Numeric.uniform(be, random, -3, 3, 1, 2, 2, 3), 6);
    }

    @Test
    void backwardAddsIntoTheParameterGradientsAndLeavesArgumentsAlone() {
        BatchNorm bn = new BatchNorm(be, F64, 2);
        Tensor x = Numeric.uniform(be, new Random(7), -1, 1, 3, 2);
        Tensor dout = Numeric.uniform(be, new Random(8), -1, 1, 3, 2);
        bn.forward(x, Mode.TRAIN);
        bn.backward(dout);
        double[] once = bn.gamma().grad().toDoubleArray();
        bn.backward(dout);
        assertArrayEquals(new double[] {2 * once[0], 2 * once[1]}, bn.gamma().grad().toDoubleArray(), 1e-15);
        LayerChecks.argumentsUnchanged(new BatchNorm(be, F64, 2), x, 9);
    }

    @Test
    void float32Works() {
        BatchNorm bn = new BatchNorm(be, DType.FLOAT32, 1);
        Tensor y = bn.forward(be.fromArray(DType.FLOAT32, Shape.of(2, 1), 1, 3), Mode.TRAIN);
        double s = 1 / Math.sqrt(1 + 1e-5);
        assertArrayEquals(new double[] {-s, s}, y.toDoubleArray(), 1e-6);
    }

    @Test
    void shapesThatDoNotFitAreRejected() {
        BatchNorm bn = new BatchNorm(be, F64, 3);
        assertThrows(ShapeException.class, () -> bn.forward(be.zeros(F64, Shape.of(2, 4)), Mode.TRAIN));
        assertThrows(ShapeException.class, () -> bn.forward(be.zeros(F64, Shape.of(6)), Mode.TRAIN));
        // training needs two values per channel: a dense batch of one is refused, as PyTorch does
        assertThrows(ShapeException.class, () -> bn.forward(be.zeros(F64, Shape.of(1, 3)), Mode.TRAIN));
        assertEquals(Shape.of(3, 4, 4), bn.outputShape(Shape.of(3, 4, 4)));
        assertThrows(ShapeException.class, () -> bn.outputShape(Shape.of(4)));
        assertThrows(IllegalArgumentException.class, () -> new BatchNorm(be, F64, 0));
        assertThrows(IllegalArgumentException.class, () -> new BatchNorm(be, F64, 2, 1.1, 1e-5));
        assertThrows(IllegalArgumentException.class, () -> new BatchNorm(be, F64, 2, 0.9, 0));
    }
}
