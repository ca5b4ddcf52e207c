package org.nnj.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.nnj.api.Backend;
import org.nnj.api.Layer;
import org.nnj.api.Mode;
import org.nnj.api.Parameter;
import org.nnj.api.Tensor;

/** Checks every layer must pass, driven through {@link Layer} only. */
final class LayerChecks {
    static final double TOLERANCE = 1e-7;

    private LayerChecks() {
    }

    /**
     * Compares backward with central differences of {@code L = Σ forward(x) ⊙ r} for a fixed random {@code r}, for the
     * input and every parameter.
     */
    static void gradientsMatchNumerical(Layer layer, Tensor x, long seed) {
        Backend be = x.backend();
        Tensor y = layer.forward(x, Mode.TRAIN);
        Tensor r = Numeric.uniform(be, new Random(seed), -1, 1, y.shape().dims());
        for (Parameter p : layer.parameters()) {
            p.zeroGrad();
        }
        double[] dx = layer.backward(r).toDoubleArray();

        double[] numericDx = Numeric.gradient(x, () -> be.dot(layer.forward(x, Mode.INFERENCE), r));
        assertGradient(layer + " dx", dx, numericDx);
        for (Parameter p : layer.parameters()) {
            double[] numeric = Numeric.gradient(p.value(), () -> be.dot(layer.forward(x, Mode.INFERENCE), r));
            assertGradient(layer + " d" + p.name(), p.grad().toDoubleArray(), numeric);
        }
    }

    static void assertGradient(String what, double[] analytic, double[] numeric) {
        assertTrue(Numeric.norm(analytic) > 1e-3, what + " is trivially small: " + Numeric.norm(analytic));
        double err = Numeric.relativeError(analytic, numeric);
        assertTrue(err < TOLERANCE, what + ": relative error " + err + " >= " + TOLERANCE);
    }

    /** backward reads dout and x but writes neither. */
    static void argumentsUnchanged(Layer layer, Tensor x, long seed) {
        double[] xBefore = x.toDoubleArray();
        Tensor y = layer.forward(x, Mode.TRAIN);
        Tensor dout = Numeric.uniform(x.backend(), new Random(seed), -1, 1, y.shape().dims());
        double[] doutBefore = dout.toDoubleArray();
        layer.backward(dout);
        assertArrayEquals(doutBefore, dout.toDoubleArray(), 0.0, layer + " modified dout");
        assertArrayEquals(xBefore, x.toDoubleArray(), 0.0, layer + " modified x");
    }
}
