package org.nnj.core.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nnj.api.DType;
import org.nnj.api.Shape;
import org.nnj.api.ShapeException;
import org.nnj.api.Tensor;

/** The chapter 6-7 kernels of the cpu backend, against hand-computed values and central differences. */
class RegularisationKernelsTest {
    private final CpuBackend cpu = new CpuBackend(1);

    private static double tol(DType dtype) {
        return dtype == DType.FLOAT32 ? 1e-6 : 1e-14;
    }

    private Tensor t(DType dtype, Shape shape, double... v) {
        return cpu.fromArray(dtype, shape, v);
    }

    private Tensor v(DType dtype, double... v) {
        return cpu.fromArray(dtype, Shape.of(v.length), v);
    }

    private static void assertOneLineMessage(String fragment, Executable call) {
        ShapeException e = assertThrows(ShapeException.class, call);
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    // ---- tanh and leaky ReLU ---------------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(DType.class)
    void tanhAndItsBackward(DType dtype) {
        Tensor x = v(dtype, 0, 0.5, -2, 30);
        Tensor y = cpu.zerosLike(x);
        cpu.tanh(x, y);
        assertArrayEquals(new double[] {0, Math.tanh(0.5), Math.tanh(-2), 1}, y.toDoubleArray(), tol(dtype));
        Tensor dx = cpu.zerosLike(x);
        cpu.tanhBackward(y, v(dtype, 1, 2, 3, 4), dx);
        double t5 = Math.tanh(0.5);
        double t2 = Math.tanh(-2);
        assertArrayEquals(new double[] {1, 2 * (1 - t5 * t5), 3 * (1 - t2 * t2), 0}, dx.toDoubleArray(),
                10 * tol(dtype));
        cpu.tanh(x, x); // in place
        assertArrayEquals(y.toDoubleArray(), x.toDoubleArray(), 0.0);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void leakyReluAndItsBackward(DType dtype) {
        Tensor x = v(dtype, -2, 0, 3, -0.5);
        Tensor y = cpu.zerosLike(x);
        cpu.leakyRelu(x, 0.1, y);
        assertArrayEquals(new double[] {-0.2, 0, 3, -0.05}, y.toDoubleArray(), tol(dtype));
        Tensor dx = cpu.zerosLike(x);
        cpu.leakyReluBackward(x, 0.1, v(dtype, 10, 20, 30, 40), dx);
        // at exactly 0 the slope is alpha, like x <= 0
        assertArrayEquals(new double[] {1, 2, 30, 4}, dx.toDoubleArray(), 10 * tol(dtype));
    }

    @Test
    void elementwiseKernelsCheckSizesAndDTypes() {
        Tensor a = v(DType.FLOAT64, 1, 2);
        assertOneLineMessage("tanh: x (2) and out (3) differ in size",
                () -> cpu.tanh(a, v(DType.FLOAT64, 1, 2, 3)));
        assertOneLineMessage("leakyRelu: x (2) is float64 but out (2) is float32",
                () -> cpu.leakyRelu(a, 0.1, v(DType.FLOAT32, 1, 2)));
        assertOneLineMessage("tanhBackward:", () -> cpu.tanhBackward(a, v(DType.FLOAT64, 1), a));
        assertOneLineMessage("leakyReluBackward:",
                () -> cpu.leakyReluBackward(a, 0.1, a, v(DType.FLOAT32, 1, 2)));
    }

    // ---- dropout ---------------------------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(DType.class)
    void dropoutMaskDrawsRowMajorFromTheGivenRandom(DType dtype) {
        Tensor mask = cpu.zeros(dtype, Shape.of(3, 4));
        cpu.dropoutMask(mask, 0.75, new Random(5));
        Random expected = new Random(5);
        for (int i = 0; i < mask.size(); i++) {
            double want = expected.nextDouble() < 0.75 ? 1 / 0.75 : 0;
            assertEquals(want, mask.get(i), tol(dtype), "element " + i);
        }
    }

    @Test
    void dropoutMaskIsTheSameForAnyThreadCountAndSeed() {
        try (CpuBackend four = new CpuBackend(4)) {
            Tensor a = cpu.zeros(DType.FLOAT32, Shape.of(50, 40));
            Tensor b = four.zeros(DType.FLOAT32, Shape.of(50, 40));
            cpu.dropoutMask(a, 0.5, new Random(9));
            four.dropoutMask(b, 0.5, new Random(9));
            assertArrayEquals(a.toDoubleArray(), b.toDoubleArray(), 0.0);
            int kept = 0;
            for (double m : a.toDoubleArray()) {
                assertTrue(m == 0 || m == 2, "mask value " + m);
                kept += m == 2 ? 1 : 0;
            }
            // 2000 Bernoulli(0.5) draws: mean 1000, std ≈ 22
            assertTrue(Math.abs(kept - 1000) < 100, "kept " + kept);
        }
    }

    @Test
    void dropoutMaskRejectsAKeepOutsideZeroToOne() {
        Tensor mask = cpu.zeros(DType.FLOAT64, Shape.of(2));
        assertThrows(IllegalArgumentException.class, () -> cpu.dropoutMask(mask, 0, new Random(1)));
        assertThrows(IllegalArgumentException.class, () -> cpu.dropoutMask(mask, 1.5, new Random(1)));
        assertThrows(NullPointerException.class, () -> cpu.dropoutMask(mask, 0.5, null));
        cpu.dropoutMask(mask, 1, new Random(1));
        assertArrayEquals(new double[] {1, 1}, mask.toDoubleArray(), 0.0);
    }

    // ---- batch normalisation ---------------------------------------------------------------------------------------

    /** The tensors of one batch-norm call, for {@code channels} channels like {@code x}. */
    private final class Bn {
        final Tensor x;
        final int channels;
        final Tensor gamma;
        final Tensor beta;
        final Tensor runningMean;
        final Tensor runningVar;
        final Tensor xhat;
        final Tensor invStd;
        final Tensor out;

        Bn(Tensor x, int channels, double[] gamma, double[] beta) {
            DType d = x.dtype();
            this.x = x;
            this.channels = channels;
            this.gamma = v(d, gamma);
            this.beta = v(d, beta);
            this.runningMean = cpu.zeros(d, Shape.of(channels));
            this.runningVar = cpu.zeros(d, Shape.of(channels));
            cpu.fill(runningVar, 1);
            this.xhat = cpu.zerosLike(x);
            this.invStd = cpu.zeros(d, Shape.of(channels));
            this.out = cpu.zerosLike(x);
        }

        void forward(boolean training) {
            cpu.batchNormForward(x, channels, gamma, beta, runningMean, runningVar, 0.9, 1e-5, training, xhat,
                    invStd, out);
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void batchNormDenseByHand(DType dtype) {
        // feature 0: 1, 2, 3, 4 (mean 2.5, biased var 1.25, unbiased 5/3); feature 1: ten times that
        Tensor x = t(dtype, Shape.of(4, 2), 1, 10, 2, 20, 3, 30, 4, 40);
        Bn bn = new Bn(x, 2, new double[] {2, 0.5}, new double[] {1, -1});
        bn.forward(true);
        double s0 = 1 / Math.sqrt(1.25 + 1e-5);
        double s1 = 1 / Math.sqrt(125 + 1e-5);
        assertArrayEquals(new double[] {s0, s1}, bn.invStd.toDoubleArray(), tol(dtype));
        double[] expectedHat = {-1.5 * s0, -15 * s1, -0.5 * s0, -5 * s1, 0.5 * s0, 5 * s1, 1.5 * s0, 15 * s1};
        assertArrayEquals(expectedHat, bn.xhat.toDoubleArray(), 10 * tol(dtype));
        double[] expectedOut = new double[8];
        for (int i = 0; i < 8; i++) {
            expectedOut[i] = i % 2 == 0 ? 2 * expectedHat[i] + 1 : 0.5 * expectedHat[i] - 1;
        }
        assertArrayEquals(expectedOut, bn.out.toDoubleArray(), 10 * tol(dtype));
        assertArrayEquals(new double[] {0.25, 2.5}, bn.runningMean.toDoubleArray(), tol(dtype));
        assertArrayEquals(new double[] {0.9 + 0.1 * 5 / 3.0, 0.9 + 0.1 * 500 / 3.0}, bn.runningVar.toDoubleArray(),
                10 * tol(dtype));
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void batchNormRunningStatisticsAfterTwoStepsAndInference(DType dtype) {
        Tensor x = t(dtype, Shape.of(2, 1), 0, 2); // mean 1, unbiased var 2
        Bn bn = new Bn(x, 1, new double[] {1}, new double[] {0});
        bn.forward(true);
        x.set(0, 4);
        x.set(1, 8); // mean 6, unbiased var 8
        bn.forward(true);
        double mean = 0.9 * (0.9 * 0 + 0.1 * 1) + 0.1 * 6;
        double var = 0.9 * (0.9 * 1 + 0.1 * 2) + 0.1 * 8;
        assertEquals(mean, bn.runningMean.get(0), tol(dtype));
        assertEquals(var, bn.runningVar.get(0), tol(dtype));

        bn.forward(false); // inference: normalised by the running statistics, which stay as they are
        double s = 1 / Math.sqrt(var + 1e-5);
        assertArrayEquals(new double[] {(4 - mean) * s, (8 - mean) * s}, bn.out.toDoubleArray(), 10 * tol(dtype));
        assertEquals(mean, bn.runningMean.get(0), tol(dtype));
        assertEquals(var, bn.runningVar.get(0), tol(dtype));
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void batchNormConvolutionalIsPerChannelOverBatchAndSpace(DType dtype) {
        // (n=2, C=2, H=1, W=2): channel 0 holds 1, 2 | 5, 8 ; channel 1 holds 0, 0 | 3, 1
        Tensor x = t(dtype, Shape.of(2, 2, 1, 2), 1, 2, 0, 0, 5, 8, 3, 1);
        Bn bn = new Bn(x, 2, new double[] {1, 1}, new double[] {0, 0});
        bn.forward(true);
        // channel 0: mean 4, biased var (9 + 4 + 1 + 16) / 4 = 7.5, unbiased 10
        // channel 1: mean 1, biased var (1 + 1 + 4 + 0) / 4 = 1.5, unbiased 2
        assertArrayEquals(new double[] {0.4, 0.1}, bn.runningMean.toDoubleArray(), tol(dtype));
        assertArrayEquals(new double[] {0.9 + 1.0, 0.9 + 0.2}, bn.runningVar.toDoubleArray(), 10 * tol(dtype));
        double s0 = 1 / Math.sqrt(7.5 + 1e-5);
        double s1 = 1 / Math.sqrt(1.5 + 1e-5);
        assertArrayEquals(new double[] {-3 * s0, -2 * s0, -s1, -s1, s0, 4 * s0, 2 * s1, 0},
                bn.out.toDoubleArray(), 10 * tol(dtype));
    }

    @Test
    void batchNormBackwardMatchesCentralDifferences() {
        Random random = new Random(3);
        int n = 3;
        int channels = 2;
        int spatial = 4;
        double[] xs = new double[n * channels * spatial];
        double[] rs = new double[xs.length];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = 2 * random.nextDouble() - 1 + (i % 3);
            rs[i] = 2 * random.nextDouble() - 1;
        }
        Tensor x = t(DType.FLOAT64, Shape.of(n, channels, 2, 2), xs);
        Tensor r = t(DType.FLOAT64, x.shape(), rs);
        Bn bn = new Bn(x, channels, new double[] {1.5, -0.7}, new double[] {0.3, 2});
        bn.forward(true);
        Tensor dgamma = v(DType.FLOAT64, 10, 20); // backward adds into these
        Tensor dbeta = v(DType.FLOAT64, 30, 40);
        Tensor dx = cpu.zerosLike(x);
        cpu.batchNormBackward(r, bn.xhat, bn.invStd, bn.gamma, channels, dgamma, dbeta, dx);

        double h = 1e-5;
        java.util.function.DoubleSupplier loss = () -> {
            bn.forward(true);
            return cpu.dot(bn.out, r);
        };
        double[] numeric = new double[xs.length];
        for (int i = 0; i < xs.length; i++) {
            numeric[i] = centralDifference(x, i, h, loss);
        }
        assertArrayEquals(numeric, dx.toDoubleArray(), 1e-8);
        for (int c = 0; c < channels; c++) {
            assertEquals(centralDifference(bn.gamma, c, h, loss), dgamma.get(c) - 10 * (c + 1), 1e-8);
            assertEquals(centralDifference(bn.beta, c, h, loss), dbeta.get(c) - 10 * (c + 3), 1e-8);
        }
    }

    private static double centralDifference(Tensor t, int i, double h, java.util.function.DoubleSupplier f) {
        double old = t.get(i);
        t.set(i, old + h);
        double plus = f.getAsDouble();
        t.set(i, old - h);
        double minus = f.getAsDouble();
        t.set(i, old);
        return (plus - minus) / (2 * h);
    }

    @Test
    void batchNormBackwardFloat32AgreesWithFloat64() {
        Random random = new Random(4);
        double[] xs = new double[5 * 3];
        double[] rs = new double[xs.length];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = 3 * random.nextGaussian();
            rs[i] = random.nextGaussian();
        }
        double[][] results = new double[2][];
        for (DType dtype : DType.values()) {
            Bn bn = new Bn(t(dtype, Shape.of(5, 3), xs), 3, new double[] {1, 2, 3}, new double[] {0, 0, 0});
            bn.forward(true);
            Tensor dx = cpu.zerosLike(bn.x);
            cpu.batchNormBackward(t(dtype, Shape.of(5, 3), rs), bn.xhat, bn.invStd, bn.gamma, 3,
                    cpu.zeros(dtype, Shape.of(3)), cpu.zeros(dtype, Shape.of(3)), dx);
            results[dtype.ordinal()] = dx.toDoubleArray();
        }
        assertArrayEquals(results[DType.FLOAT64.ordinal()], results[DType.FLOAT32.ordinal()], 1e-5);
    }

    @Test
    void batchNormChecksItsArguments() {
        Tensor x = t(DType.FLOAT64, Shape.of(2, 3), 1, 2, 3, 4, 5, 6);
        Bn ok = new Bn(x, 3, new double[] {1, 1, 1}, new double[] {0, 0, 0});
        assertOneLineMessage("batchNormForward: x (2, 3) has 3 values per sample, which is not a positive multiple"
                + " of 2 channels", () -> cpu.batchNormForward(x, 2, ok.gamma, ok.beta, ok.runningMean,
                ok.runningVar, 0.9, 1e-5, true, ok.xhat, ok.invStd, ok.out));
        assertOneLineMessage("batchNormForward: gamma (2) has 2 elements, not one per channel (3)",
                () -> cpu.batchNormForward(x, 3, v(DType.FLOAT64, 1, 1), ok.beta, ok.runningMean, ok.runningVar,
                        0.9, 1e-5, true, ok.xhat, ok.invStd, ok.out));
        assertOneLineMessage("batchNormForward: x (2, 3) is float64 but beta (3) is float32",
                () -> cpu.batchNormForward(x, 3, ok.gamma, v(DType.FLOAT32, 0, 0, 0), ok.runningMean,
                        ok.runningVar, 0.9, 1e-5, true, ok.xhat, ok.invStd, ok.out));
        assertOneLineMessage("batchNormForward: xhat (2, 3) and out (2, 3) share storage",
                () -> cpu.batchNormForward(x, 3, ok.gamma, ok.beta, ok.runningMean, ok.runningVar, 0.9, 1e-5,
                        true, ok.out, ok.invStd, ok.out));
        Tensor one = t(DType.FLOAT64, Shape.of(1, 3), 1, 2, 3);
        assertOneLineMessage("batchNormForward: x (1, 3) has 1 value(s) per channel; training needs at least 2",
                () -> cpu.batchNormForward(one, 3, ok.gamma, ok.beta, ok.runningMean, ok.runningVar, 0.9, 1e-5,
                        true, cpu.zerosLike(one), ok.invStd, cpu.zerosLike(one)));
        // a batch of one is fine in inference
        cpu.batchNormForward(one, 3, ok.gamma, ok.beta, ok.runningMean, ok.runningVar, 0.9, 1e-5, false,
                cpu.zerosLike(one), ok.invStd, cpu.zerosLike(one));
        assertThrows(IllegalArgumentException.class, () -> cpu.batchNormForward(x, 3, ok.gamma, ok.beta,
                ok.runningMean, ok.runningVar, 1.5, 1e-5, true, ok.xhat, ok.invStd, ok.out));
        assertOneLineMessage("batchNormBackward: x (2, 3) and dx (3) differ in size",
                () -> cpu.batchNormBackward(x, ok.xhat, ok.invStd, ok.gamma, 3, ok.gamma, ok.beta,
                        v(DType.FLOAT64, 1, 2, 3)));
    }

    // ---- sigmoid binary cross-entropy ------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(DType.class)
    void binaryCrossEntropyByHand(DType dtype) {
        Tensor logits = t(dtype, Shape.of(2, 2), 0, Math.log(3), -Math.log(3), 2);
        Tensor target = t(dtype, Shape.of(2, 2), 1, 1, 0, 0.25);
        Tensor probs = cpu.zerosLike(logits);
        double loss = cpu.sigmoidBinaryCrossEntropy(logits, target, probs);
        double p4 = 1 / (1 + Math.exp(-2));
        double expected = (Math.log(2) - Math.log(0.75) - Math.log(0.75)
                - 0.25 * Math.log(p4) - 0.75 * Math.log(1 - p4)) / 2;
        assertEquals(expected, loss, dtype == DType.FLOAT32 ? 1e-6 : 1e-14);
        assertArrayEquals(new double[] {0.5, 0.75, 0.25, p4}, probs.toDoubleArray(), tol(dtype));
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void binaryCrossEntropyIsFiniteAndExactForHugeLogits(DType dtype) {
        Tensor probs = cpu.zeros(dtype, Shape.of(1, 1));
        assertEquals(1000, cpu.sigmoidBinaryCrossEntropy(v2(dtype, 1000), v2(dtype, 0), probs), 0.0);
        assertEquals(1.0, probs.get(0), 0.0);
        assertEquals(1000, cpu.sigmoidBinaryCrossEntropy(v2(dtype, -1000), v2(dtype, 1), probs), 0.0);
        assertEquals(0.0, probs.get(0), 0.0);
        assertEquals(0.0, cpu.sigmoidBinaryCrossEntropy(v2(dtype, 1000), v2(dtype, 1), probs), 0.0);
        Tensor logits = t(dtype, Shape.of(4, 1), 1e30, -1e30, 1e30, -1e30);
        Tensor target = t(dtype, Shape.of(4, 1), 0, 1, 1, 0);
        double loss = cpu.sigmoidBinaryCrossEntropy(logits, target, cpu.zerosLike(logits));
        assertTrue(Double.isFinite(loss), "loss " + loss);
        assertEquals(2 * 1e30 / 4, loss, 1e30 * 1e-6);
    }

    private Tensor v2(DType dtype, double value) {
        return t(dtype, Shape.of(1, 1), value);
    }

    @Test
    void binaryCrossEntropyChecksItsArguments() {
        Tensor logits = t(DType.FLOAT64, Shape.of(2, 1), 0, 1);
        assertOneLineMessage("sigmoidBinaryCrossEntropy: target[1] = 1.5 is not in [0, 1]",
                () -> cpu.sigmoidBinaryCrossEntropy(logits, t(DType.FLOAT64, Shape.of(2, 1), 0, 1.5),
                        cpu.zerosLike(logits)));
        assertOneLineMessage("sigmoidBinaryCrossEntropy: target[0] = NaN is not in [0, 1]",
                () -> cpu.sigmoidBinaryCrossEntropy(logits, t(DType.FLOAT64, Shape.of(2, 1), Double.NaN, 1),
                        cpu.zerosLike(logits)));
        assertOneLineMessage("sigmoidBinaryCrossEntropy: logits (2, 1) and target (3) differ in size",
                () -> cpu.sigmoidBinaryCrossEntropy(logits, v(DType.FLOAT64, 0, 1, 1), cpu.zerosLike(logits)));
        assertOneLineMessage("sigmoidBinaryCrossEntropy: logits (0, 1) are empty",
                () -> cpu.sigmoidBinaryCrossEntropy(cpu.zeros(DType.FLOAT64, Shape.of(0, 1)),
                        cpu.zeros(DType.FLOAT64, Shape.of(0, 1)), cpu.zeros(DType.FLOAT64, Shape.of(0, 1))));
    }
}
