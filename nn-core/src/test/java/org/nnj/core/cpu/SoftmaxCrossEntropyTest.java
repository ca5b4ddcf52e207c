package org.nnj.core.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nnj.core.cpu.GemmTest.assertMessage;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nnj.api.DType;
import org.nnj.api.Shape;
import org.nnj.api.Tensor;

class SoftmaxCrossEntropyTest {
    private final CpuBackend cpu = new CpuBackend(1);

    @ParameterizedTest
    @EnumSource(DType.class)
    void softmaxOfKnownRows(DType dtype) {
        double e = Math.E;
        Tensor x = cpu.fromArray(dtype, Shape.of(2, 3), 0, 1, 0, 1000, 1000, 1000);
        cpu.softmax(x, x); // in place
        double z = 2 + e;
        assertArrayEquals(new double[] {1 / z, e / z, 1 / z, 1 / 3.0, 1 / 3.0, 1 / 3.0}, x.toDoubleArray(),
                dtype == DType.FLOAT32 ? 1e-7 : 1e-15);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void lossOfHugeLogitsIsExactAndFinite(DType dtype) {
        // logits (1000, 0), target 1: logsumexp = 1000 + log(1 + e^-1000) = 1000, loss 1000 - 0
        Tensor logits = cpu.fromArray(dtype, Shape.of(1, 2), 1000, 0);
        Tensor probs = cpu.zerosLike(logits);
        assertEquals(1000.0, cpu.softmaxCrossEntropy(logits, cpu.fromArray(dtype, Shape.of(1), 1), probs));
        assertArrayEquals(new double[] {1, 0}, probs.toDoubleArray());
        assertEquals(0.0, cpu.softmaxCrossEntropy(logits, cpu.fromArray(dtype, Shape.of(1), 0), probs));

        // ±1e30 (fits float32): loss 2e30 for the wrong class, 0 for the right one
        Tensor big = cpu.fromArray(dtype, Shape.of(2, 2), 1e30, -1e30, 1e30, -1e30);
        double loss = cpu.softmaxCrossEntropy(big, cpu.fromArray(dtype, Shape.of(2), 1, 0), cpu.zerosLike(big));
        double v = (double) (float) 1e30;
        assertEquals(dtype == DType.FLOAT32 ? v : 1e30, loss, 1e30 * 1e-15); // (2e30 + 0) / 2
        // tiny differences: plain ln(2)
        Tensor tiny = cpu.fromArray(dtype, Shape.of(1, 2), 1e-30, -1e-30);
        assertEquals(Math.log(2), cpu.softmaxCrossEntropy(tiny, cpu.fromArray(dtype, Shape.of(1), 0),
                cpu.zerosLike(tiny)), 1e-12);
    }

    @Test
    void lossOfExtremeFloat64LogitsIsFinite() {
        Tensor logits = cpu.fromArray(DType.FLOAT64, Shape.of(2, 3), 1e300, -1e300, 0, -1e300, 0, 1e300);
        Tensor probs = cpu.zerosLike(logits);
        double loss = cpu.softmaxCrossEntropy(logits, cpu.fromArray(DType.FLOAT64, Shape.of(2), 1, 2), probs);
        assertEquals(1e300, loss, 1e285); // (2e300 + 0) / 2
        assertTrue(cpu.allFinite(probs));
        assertArrayEquals(new double[] {1, 0, 0, 0, 0, 1}, probs.toDoubleArray());
        Tensor oneHot = cpu.fromArray(DType.FLOAT64, Shape.of(2, 3), 0, 1, 0, 0, 0, 1);
        assertEquals(loss, cpu.softmaxCrossEntropy(logits, oneHot, probs));
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void oneHotAndIndexTargetsAgreeAndMatchTheDefinition(DType dtype) {
        SplittableRandom rnd = new SplittableRandom(7);
        int n = 5;
        int c = 4;
        double[] x = new double[n * c];
        double[] idx = new double[n];
        double[] oneHot = new double[n * c];
        double expected = 0;
        for (int i = 0; i < n; i++) {
            double sumExp = 0;
            for (int j = 0; j < c; j++) {
                x[i * c + j] = (float) rnd.nextDouble(-5, 5);
                sumExp += Math.exp(x[i * c + j]);
            }
            idx[i] = rnd.nextInt(c);
            oneHot[i * c + (int) idx[i]] = 1;
            expected += Math.log(sumExp) - x[i * c + (int) idx[i]];
        }
        expected /= n;
        Tensor logits = cpu.fromArray(dtype, Shape.of(n, c), x);
        Tensor p1 = cpu.zerosLike(logits);
        Tensor p2 = cpu.zerosLike(logits);
        double l1 = cpu.softmaxCrossEntropy(logits, cpu.fromArray(dtype, Shape.of(n), idx), p1);
        double l2 = cpu.softmaxCrossEntropy(logits, cpu.fromArray(dtype, Shape.of(n, c), oneHot), p2);
        assertEquals(expected, l1, 1e-12);
        assertEquals(l1, l2, 1e-15);
        assertArrayEquals(p1.toDoubleArray(), p2.toDoubleArray());

        Tensor d1 = cpu.zerosLike(logits);
        Tensor d2 = cpu.zerosLike(logits);
        cpu.softmaxCrossEntropyBackward(p1, cpu.fromArray(dtype, Shape.of(n), idx), 1.0 / n, d1);
        cpu.softmaxCrossEntropyBackward(p1, cpu.fromArray(dtype, Shape.of(n, c), oneHot), 1.0 / n, d2);
        assertArrayEquals(d1.toDoubleArray(), d2.toDoubleArray());
        double[] p = p1.toDoubleArray();
        double[] d = d1.toDoubleArray();
        for (int k = 0; k < n * c; k++) {
            assertEquals((p[k] - oneHot[k]) / n, d[k], dtype == DType.FLOAT32 ? 1e-7 : 1e-16);
        }
    }

    @Test
    void softTargetsGiveCrossEntropyOfTheDistribution() {
        // logits (0, ln 3): softmax (1/4, 3/4); target (1/2, 1/2): loss = -(ln(1/4) + ln(3/4)) / 2
        Tensor logits = cpu.fromArray(DType.FLOAT64, Shape.of(1, 2), 0, Math.log(3));
        Tensor target = cpu.fromArray(DType.FLOAT64, Shape.of(1, 2), 0.5, 0.5);
        double loss = cpu.softmaxCrossEntropy(logits, target, cpu.zerosLike(logits));
        assertEquals(-(Math.log(0.25) + Math.log(0.75)) / 2, loss, 1e-15);
    }

    @Test
    void errorMessagesNameRowValueAndClassCount() {
        Tensor logits = cpu.fromArray(DType.FLOAT32, Shape.of(3, 10), new double[30]);
        Tensor probs = cpu.zerosLike(logits);
        assertMessage("softmaxCrossEntropy: target row 2 holds 10.0, not a class index in [0, 10)",
                () -> cpu.softmaxCrossEntropy(logits, cpu.fromArray(DType.FLOAT32, Shape.of(3), 1, 2, 10), probs));
        assertMessage("softmaxCrossEntropy: target row 0 holds 1.5, not a class index in [0, 10)",
                () -> cpu.softmaxCrossEntropy(logits, cpu.fromArray(DType.FLOAT32, Shape.of(3), 1.5, 2, 3), probs));
        assertMessage("softmaxCrossEntropy: target row 1 holds -1.0, not a class index in [0, 10)",
                () -> cpu.softmaxCrossEntropy(logits, cpu.fromArray(DType.FLOAT32, Shape.of(3), 1, -1, 3), probs));
        assertMessage("softmaxCrossEntropyBackward: target row 1 holds NaN, not a class index in [0, 10)",
                () -> cpu.softmaxCrossEntropyBackward(probs,
                        cpu.fromArray(DType.FLOAT32, Shape.of(3), 1, Double.NaN, 3), 1, probs));
        assertMessage("softmaxCrossEntropy: target (4) is neither class indices (3) nor one distribution per row"
                        + " (3, 10) for logits (3, 10)",
                () -> cpu.softmaxCrossEntropy(logits, cpu.zeros(DType.FLOAT32, Shape.of(4)), probs));
        assertMessage("softmaxCrossEntropy: logits (3, 10) and probs (3, 9) differ in size",
                () -> cpu.softmaxCrossEntropy(logits, cpu.zeros(DType.FLOAT32, Shape.of(3)),
                        cpu.zeros(DType.FLOAT32, Shape.of(3, 9))));
        assertMessage("softmaxCrossEntropy: logits (0, 10) have no rows or no classes",
                () -> cpu.softmaxCrossEntropy(cpu.zeros(DType.FLOAT32, Shape.of(0, 10)),
                        cpu.zeros(DType.FLOAT32, Shape.of(0)), cpu.zeros(DType.FLOAT32, Shape.of(0, 10))));
        assertMessage("softmax: logits (3, 10) is float32 but out (3, 10) is float64",
                () -> cpu.softmax(logits, cpu.zeros(DType.FLOAT64, Shape.of(3, 10))));
    }
}
