package org.nnj.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nnj.api.Backend;
import org.nnj.api.DType;
import org.nnj.api.LayerContext;
import org.nnj.api.Mode;
import org.nnj.api.Settings;
import org.nnj.api.Shape;
import org.nnj.api.Tensor;
import org.nnj.layers.spi.DropoutProvider;

/** The dropout generator's state as layer state: saved, restored, and continuing the same masks. */
class DropoutRngStateTest {
    private final Backend be = Numeric.cpu();

    private Tensor ones(DType dtype, int... dims) {
        Tensor t = be.zeros(dtype, Shape.of(dims));
        be.fill(t, 1);
        return t;
    }

    @Test
    void theOpenGeneratorYieldsJavaUtilRandomsNumbers() {
        for (long seed : new long[] {0, 1, -5, 42, Long.MAX_VALUE, Long.MIN_VALUE}) {
            Random want = new Random(seed);
            Lcg48Random got = new Lcg48Random(seed);
            for (int i = 0; i < 2000; i++) {
                assertEquals(want.nextDouble(), got.nextDouble(), 0.0);
                assertEquals(want.nextInt(97), got.nextInt(97));
                assertEquals(want.nextLong(), got.nextLong());
                assertEquals(want.nextFloat(), got.nextFloat(), 0.0f);
                assertEquals(want.nextBoolean(), got.nextBoolean());
            }
            Lcg48Random copy = new Lcg48Random(0);
            copy.setState(got.state());
            assertEquals(got.nextLong(), copy.nextLong(), "a restored state continues the sequence");
        }
    }

    @Test
    void theProvidersLayerKeepsItsGeneratorAsStateAndDrawsTheSameMasksAsBefore() {
        Dropout stateful = new Dropout(0.3, 7L, be, DType.FLOAT64);
        Dropout plain = new Dropout(0.3, new Random(7));
        assertEquals(java.util.Set.of(Dropout.RNG_STATE), stateful.state().keySet());
        assertEquals(Shape.of(3), stateful.state().get(Dropout.RNG_STATE).shape());
        assertTrue(plain.state().isEmpty(), "a generator passed in is not saved");
        Tensor x = ones(DType.FLOAT64, 8, 16);
        for (int i = 0; i < 4; i++) {
            assertArrayEquals(plain.forward(x, Mode.TRAIN).toDoubleArray(),
                    stateful.forward(x, Mode.TRAIN).toDoubleArray(), 0.0, "forward " + i);
        }
        Dropout built = (Dropout) new DropoutProvider().create(Settings.of("rate", 0.3, "seed", 7),
                new LayerContext(be, DType.FLOAT32, Shape.of(16), new Random(1)));
        assertEquals(DType.FLOAT32, built.state().get(Dropout.RNG_STATE).dtype());
    }

    @Test
    void copyingTheStateIntoAnotherLayerContinuesTheMasksExactly() {
        for (DType dtype : DType.values()) {
            Tensor x = ones(dtype, 10, 30);
            Dropout a = new Dropout(0.5, 11L, be, dtype);
            for (int i = 0; i < 5; i++) {
                a.forward(x, Mode.TRAIN);
            }
            Dropout b = new Dropout(0.5, 99L, be, dtype);
            be.copy(a.state().get(Dropout.RNG_STATE), b.state().get(Dropout.RNG_STATE));
            Dropout fresh = new Dropout(0.5, 11L, be, dtype); // same seed, state not restored
            double[] next = a.forward(x, Mode.TRAIN).toDoubleArray();
            assertArrayEquals(next, b.forward(x, Mode.TRAIN).toDoubleArray(), 0.0, dtype.label());
            assertFalse(Arrays.equals(next, fresh.forward(x, Mode.TRAIN).toDoubleArray()),
                    "without the state, a rebuilt layer starts its masks over");
            for (int i = 0; i < 3; i++) {
                double v = a.state().get(Dropout.RNG_STATE).get(i);
                assertTrue(v >= 0 && v <= 0xFFFF && v == Math.rint(v), "16-bit integers, exact in " + dtype);
            }
        }
    }

    @Test
    void inferenceAndAFrozenMaskLeaveTheGeneratorAlone() {
        Dropout d = new Dropout(0.5, 3L, be, DType.FLOAT64);
        Tensor x = ones(DType.FLOAT64, 4, 4);
        double[] before = d.state().get(Dropout.RNG_STATE).toDoubleArray();
        d.forward(x, Mode.INFERENCE);
        assertArrayEquals(before, d.state().get(Dropout.RNG_STATE).toDoubleArray(), 0.0);
        d.forward(x, Mode.TRAIN);
        double[] once = d.state().get(Dropout.RNG_STATE).toDoubleArray();
        assertFalse(Arrays.equals(before, once));
        d.freezeMask();
        d.forward(x, Mode.TRAIN);
        assertArrayEquals(once, d.state().get(Dropout.RNG_STATE).toDoubleArray(), 0.0);
    }
}
