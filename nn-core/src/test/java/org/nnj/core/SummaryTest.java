package org.nnj.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nnj.api.Backend;
import org.nnj.api.DType;
import org.nnj.api.Layer;
import org.nnj.api.Mode;
import org.nnj.api.Settings;
import org.nnj.api.Shape;
import org.nnj.api.ShapeException;
import org.nnj.api.Tensor;

/**
 * {@link Summary} of a hand-assembled network: class names as types, counts per layer and in total, state apart,
 * shapes threaded from an input shape. The providers' names and the book's totals (39,760 and 433,890) are checked
 * in nn-examples (SummaryCommandTest).
 */
class SummaryTest {
    private final Backend cpu = Registry.load().backend("cpu", Settings.of("threads", 1));

    /** Keeps a running mean of 2 values as state, no parameters. */
    static final class Centre implements Layer {
        final Tensor mean;

        Centre(Tensor mean) {
            this.mean = mean;
        }

        @Override
        public Tensor forward(Tensor x, Mode mode) {
            return x;
        }

        @Override
        public Tensor backward(Tensor dout) {
            return dout;
        }

        @Override
        public Map<String, Tensor> state() {
            return Map.of("running_mean", mean);
        }

        @Override
        public Shape outputShape(Shape in) {
            if (in.size() != mean.size()) {
                throw new ShapeException("expected (" + mean.size() + "), found " + in);
            }
            return in;
        }
    }

    private Network net() {
        return new Network(new Sequential()
                .add("L1", new TestLayers.Linear(cpu.zeros(DType.FLOAT64, Shape.of(3, 2)), false))
                .add("R1", new TestLayers.Ramp())
                .add("C1", new Centre(cpu.zeros(DType.FLOAT64, Shape.of(2)))),
                new TestLayers.HalfSquared());
    }

    @Test
    void countsParametersAndStatePerLayerAndInTotal() {
        Summary s = Summary.of(net(), Shape.of(3));
        assertEquals(List.of(
                new Summary.Row("L1", "Linear", Shape.of(2), 6, 0),
                new Summary.Row("R1", "Ramp", Shape.of(2), 0, 0),
                new Summary.Row("C1", "Centre", Shape.of(2), 0, 2)), s.layers());
        assertEquals(6, s.totalParameters());
        assertEquals(2, s.totalState());
        assertEquals(Shape.of(2), s.outputShape());
        assertEquals("HalfSquared", s.loss());
        assertEquals(DType.FLOAT64, s.dtype());
        assertEquals(String.join("\n",
                "layer    type    output shape   parameters",
                "(input)          (3)",
                "L1       Linear  (2)                     6",
                "R1       Ramp    (2)                     0",
                "C1       Centre  (2)           0 + 2 state",
                "loss     HalfSquared",
                "total parameters: 6 + 2 non-trainable state values (64 bytes as float64)",
                ""), s.toString());
    }

    @Test
    void withoutAnInputShapeTheOutputShapesAreUnknown() {
        Network n = net();
        Summary s = n.summary();
        assertNull(s.inputShape());
        assertNull(s.layers().get(0).outputShape());
        assertTrue(s.toString().lines().anyMatch(l -> l.matches("L1\\s+Linear\\s+\\?\\s+6")), s.toString());
    }

    @Test
    void aShapeThatDoesNotFitNamesTheLayer() {
        Network n = new Network(new Sequential().add("C1", new Centre(cpu.zeros(DType.FLOAT64, Shape.of(2)))),
                new TestLayers.HalfSquared());
        ShapeException e = assertThrows(ShapeException.class, () -> Summary.of(n, Shape.of(5)));
        assertEquals("C1: expected (2), found (5)", e.getMessage());
    }
}
