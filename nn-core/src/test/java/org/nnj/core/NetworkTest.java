package org.nnj.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mockito.InOrder;
import org.nnj.api.Backend;
import org.nnj.api.DType;
import org.nnj.api.Layer;
import org.nnj.api.Loss;
import org.nnj.api.Mode;
import org.nnj.api.Settings;
import org.nnj.api.Shape;
import org.nnj.api.Tensor;

class NetworkTest {
    private final Backend cpu = Registry.load().backend("cpu", Settings.of("threads", 1));

    @Test
    void gradientZeroesThenRunsForwardLossAndBackwardInThatOrder() {
        Layer layer = mock(Layer.class);
        Loss loss = mock(Loss.class);
        Tensor x = mock(Tensor.class, "x");
        Tensor t = mock(Tensor.class, "t");
        Tensor y = mock(Tensor.class, "y");
        Tensor dy = mock(Tensor.class, "dy");
        when(layer.forward(x, Mode.TRAIN)).thenReturn(y);
        when(loss.forward(y, t)).thenReturn(0.25);
        when(loss.backward()).thenReturn(dy);
        Network net = new Network(new Sequential().add("L1", layer), loss);

        assertEquals(0.25, net.gradient(x, t));

        InOrder order = inOrder(layer, loss);
        order.verify(layer).forward(x, Mode.TRAIN);
        order.verify(loss).forward(y, t);
        order.verify(loss).backward();
        order.verify(layer).backwardParameters(dy);
    }

    @Test
    void predictRunsInInferenceModeWithoutTheLoss() {
        Layer layer = mock(Layer.class);
        Loss loss = mock(Loss.class);
        Tensor x = mock(Tensor.class);
        Tensor y = mock(Tensor.class);
        when(layer.forward(eq(x), any())).thenReturn(y);
        Network net = new Network(new Sequential().add("L1", layer), loss);
        assertEquals(y, net.predict(x));
        org.mockito.Mockito.verify(layer).forward(x, Mode.INFERENCE);
        org.mockito.Mockito.verifyNoInteractions(loss);
    }

    private Network linearNet(boolean wrong) {
        Tensor w = cpu.fromArray(DType.FLOAT64, Shape.of(3, 2), 0.5, -1.0, 2.0, 0.25, -0.75, 1.5);
        return new Network(new Sequential().add("Lin1", new TestLayers.Linear(w, wrong)), new TestLayers.HalfSquared());
    }

    @Test
    void backpropGradientOfALinearNetMatchesTheClosedForm() {
        Network net = linearNet(false);
        Tensor x = cpu.fromArray(DType.FLOAT64, Shape.of(2, 3), 1, 2, 3, -1, 0, 4);
        Tensor t = cpu.fromArray(DType.FLOAT64, Shape.of(2, 2), 1, 0, 0, 1);
        // y = x·W = [[2.25, 4.0], [-3.5, 7.0]]; y − t = [[1.25, 4], [-3.5, 6]]; L = ½·(1.5625+16+12.25+36)/2
        assertEquals(0.5 * (1.5625 + 16 + 12.25 + 36) / 2, net.gradient(x, t), 1e-15);
        // dW = xᵀ·(y − t)/2
        double[] expected = {
            (1 * 1.25 + -1 * -3.5) / 2, (1 * 4 + -1 * 6) / 2.0,
            (2 * 1.25) / 2, (2 * 4) / 2.0,
            (3 * 1.25 + 4 * -3.5) / 2, (3 * 4 + 4 * 6) / 2.0};
        assertArrayEquals(expected, net.parameter("Lin1.W").grad().toDoubleArray(), 1e-15);
        // gradient() zeroes first: calling it twice gives the same, not double
        net.gradient(x, t);
        assertArrayEquals(expected, net.parameter("Lin1.W").grad().toDoubleArray(), 1e-15);
    }

    @Test
    void numericalGradientAgreesAndRestoresTheWeightsExactly() {
        Network net = linearNet(false);
        Tensor x = cpu.fromArray(DType.FLOAT64, Shape.of(2, 3), 1, 2, 3, -1, 0, 4);
        Tensor t = cpu.fromArray(DType.FLOAT64, Shape.of(2, 2), 1, 0, 0, 1);
        double[] before = net.parameter("Lin1.W").value().toDoubleArray();
        Map<String, double[]> num = net.numericalGradient(x, t, 1e-5);
        net.gradient(x, t);
        assertArrayEquals(net.parameter("Lin1.W").grad().toDoubleArray(), num.get("Lin1.W"), 1e-8);
        assertArrayEquals(before, net.parameter("Lin1.W").value().toDoubleArray(), 0.0);
    }

    @Test
    void gradientCheckPassesARightGradientAndCatchesAOnePercentError() {
        Tensor x = cpu.fromArray(DType.FLOAT64, Shape.of(2, 3), 1, 2, 3, -1, 0, 4);
        Tensor t = cpu.fromArray(DType.FLOAT64, Shape.of(2, 2), 1, 0, 0, 1);
        GradientCheck.Result good = new GradientCheck().check(linearNet(false), x, t);
        assertTrue(good.passes(1e-7), good.parameters().toString());
        GradientCheck.Result bad = new GradientCheck().check(linearNet(true), x, t);
        assertFalse(bad.passes(1e-6));
        assertEquals(0.01 / 1.01, bad.maxRelError(), 1e-6);
    }

    @Test
    void aSampledGradientCheckCoversEveryParameterWithFewerElements() {
        Tensor x = cpu.fromArray(DType.FLOAT64, Shape.of(2, 3), 1, 2, 3, -1, 0, 4);
        Tensor t = cpu.fromArray(DType.FLOAT64, Shape.of(2, 2), 1, 0, 0, 1);
        GradientCheck.Result bad = new GradientCheck().check(linearNet(true), x, t, 2, new java.util.Random(3));
        assertEquals(2, bad.parameters().get(0).size());
        assertFalse(bad.passes(1e-6));
        GradientCheck.Result all = new GradientCheck().check(linearNet(false), x, t, 100, null);
        assertEquals(6, all.parameters().get(0).size());
        assertTrue(all.passes(1e-7));
    }

    @Test
    void gradientCheckIsNotFooledByAKinkWithinTheStep() {
        // Lin1 → ramp with one pre-activation exactly at 0: the one-sided derivatives differ there, the central
        // difference is their mean and matches neither, and backprop takes the left one (0), as ReLU does.
        Tensor w = cpu.fromArray(DType.FLOAT64, Shape.of(2, 1), 1.0, -1.0);
        Network net = new Network(new Sequential().add("Lin1", new TestLayers.Linear(w, false))
                .add("Ramp1", new TestLayers.Ramp()), new TestLayers.HalfSquared());
        Tensor x = cpu.fromArray(DType.FLOAT64, Shape.of(2, 2), 2, 2, 1, 3);
        Tensor t = cpu.fromArray(DType.FLOAT64, Shape.of(2, 1), 1, 1);
        GradientCheck.Result r = new GradientCheck().check(net, x, t);
        assertEquals(2, r.kinks(), "both weights feed the unit sitting on its kink");
        assertTrue(r.passes(1e-6), r.parameters().toString());
        // without the one-sided rule the central difference would be off by half the jump
        double[] central = net.numericalGradient(x, t, 1e-5).get("Lin1.W");
        net.gradient(x, t);
        double[] backprop = net.parameter("Lin1.W").grad().toDoubleArray();
        assertTrue(Math.abs(central[0] - backprop[0]) > 0.1, "the central difference straddles the kink");
    }

    @Test
    void gradientCheckRefusesFloat32() {
        Tensor w = cpu.fromArray(DType.FLOAT32, Shape.of(3, 2), 1, 2, 3, 4, 5, 6);
        Network net = new Network(new Sequential().add("Lin1", new TestLayers.Linear(w, false)),
                new TestLayers.HalfSquared());
        Tensor x = cpu.fromArray(DType.FLOAT32, Shape.of(1, 3), 1, 2, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new GradientCheck().check(net, x, x));
        assertEquals("gradient check needs a float64 network; Lin1.W is float32", e.getMessage());
    }

    @Test
    void accuracyCountsArgmaxMatchesForIndexAndOneHotTargets() {
        Tensor w = cpu.fromArray(DType.FLOAT64, Shape.of(2, 2), 1, 0, 0, 1);
        Network net = new Network(new Sequential().add("Lin1", new TestLayers.Linear(w, false)),
                new TestLayers.HalfSquared());
        Tensor x = cpu.fromArray(DType.FLOAT64, Shape.of(4, 2), 1, 0, 0, 1, 3, 2, 2, 3);
        Tensor idx = cpu.fromArray(DType.FLOAT64, Shape.of(4), 0, 1, 1, 1);
        Tensor onehot = cpu.fromArray(DType.FLOAT64, Shape.of(4, 2), 1, 0, 0, 1, 0, 1, 0, 1);
        assertEquals(0.75, net.accuracy(x, idx));
        assertEquals(0.75, net.accuracy(x, onehot));
    }
}
