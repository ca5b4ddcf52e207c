package org.nnj.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nnj.layers.Numeric.F64;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nnj.api.DType;
import org.nnj.api.Shape;
import org.nnj.api.Tensor;

class InitTest {

    private static double sampleStd(Tensor t) {
        double[] v = t.toDoubleArray();
        double mean = 0;
        for (double x : v) {
            mean += x;
        }
        mean /= v.length;
        double ss = 0;
        for (double x : v) {
            ss += (x - mean) * (x - mean);
        }
        return Math.sqrt(ss / (v.length - 1));
    }

    @Test
    void stdsFollowTheBook() {
        assertEquals(0.01, Init.byName("normal", Init.DEFAULT_STD).std(784));
        assertEquals(0.5, Init.normal(0.5).std(3));
        assertEquals(Math.sqrt(2.0 / 784), Init.he().std(784));
        assertEquals(Math.sqrt(1.0 / 784), Init.xavier().std(784));
        // a conv kernel (30, 1, 5, 5) has fan-in 1·5·5
        assertEquals(Math.sqrt(2.0 / 25), Init.byName("He", 0).std(25));
    }

    @Test
    void heSampleStdIsWithinTwoPercent() {
        int fanIn = 300;
        Tensor w = Init.he().create(Numeric.cpu(), DType.FLOAT32, Shape.of(fanIn, 200), fanIn, new Random(1));
        double expected = Math.sqrt(2.0 / fanIn);
        assertEquals(expected, sampleStd(w), 0.02 * expected);
        Tensor x = Init.xavier().create(Numeric.cpu(), F64, Shape.of(20, 1, 5, 5), 25, new Random(2));
        assertEquals(Shape.of(20, 1, 5, 5), x.shape());
        assertEquals(0.2, sampleStd(x), 0.02 * 0.2 * 5); // only 500 samples: within 10%
    }

    @Test
    void normalDrawsWhatTheBookDraws() {
        Tensor w = Init.normal(0.01).create(Numeric.cpu(), F64, Shape.of(3, 2), 3, new Random(7));
        Random expected = new Random(7);
        for (int i = 0; i < 6; i++) {
            assertEquals(0.01 * expected.nextGaussian(), w.get(i), 0.0);
        }
    }

    @Test
    void unknownNamesAndBadArgumentsAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Init.byName("glorot", 0));
        assertTrue(e.getMessage().contains("'glorot'") && e.getMessage().contains("normal, he, xavier"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Init.normal(-1));
        assertThrows(IllegalArgumentException.class, () -> Init.he().std(0));
        assertEquals("he", Init.byName(" HE ", 0).name());
        assertEquals("normal(0.01)", Init.normal(0.01).toString());
    }
}
