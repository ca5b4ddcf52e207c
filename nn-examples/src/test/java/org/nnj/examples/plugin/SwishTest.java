package org.nnj.examples.plugin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nnj.api.DType;
import org.nnj.api.Layer;
import org.nnj.api.LayerContext;
import org.nnj.api.Mode;
import org.nnj.api.Settings;
import org.nnj.api.Shape;
import org.nnj.api.Tensor;
import org.nnj.core.Network;
import org.nnj.core.NetworkBuilder;
import org.nnj.core.Registry;
import org.nnj.core.cpu.CpuBackend;

/** The custom layer: values, backward against central differences in float64, and discovery by name. */
class SwishTest {
    private final CpuBackend be = new CpuBackend(1);

    @AfterEach
    void close() {
        be.close();
    }

    private Tensor uniform(Random random, double lo, double hi, int... dims) {
        Shape s = Shape.of(dims);
        double[] v = new double[s.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = lo + (hi - lo) * random.nextDouble();
        }
        return be.fromArray(DType.FLOAT64, s, v);
    }

    @Test
    void forwardIsXTimesSigmoidX() {
        Tensor x = be.fromArray(DType.FLOAT64, Shape.of(1, 4), -30, -1, 0, 2);
        double[] y = new Swish().forward(x, Mode.INFERENCE).toDoubleArray();
        double[] expected = new double[4];
        for (int i = 0; i < 4; i++) {
            double v = x.get(i);
            expected[i] = v / (1 + Math.exp(-v));
        }
        assertArrayEquals(expected, y, 1e-15);
    }

    @Test
    void backwardMatchesCentralDifferences() {
        Random random = new Random(5);
        Tensor x = uniform(random, -4, 4, 3, 7);
        Tensor w = uniform(random, -1, 1, 3, 7); // L = Σ w · swish(x), so dL/dy = w
        Swish layer = new Swish();
        layer.forward(x, Mode.TRAIN);
        double[] wBefore = w.toDoubleArray();
        double[] analytic = layer.backward(w).toDoubleArray();
        assertArrayEquals(wBefore, w.toDoubleArray(), 0.0, "backward must not modify dout");

        Swish probe = new Swish();
        double h = 1e-5;
        double worst = 0;
        for (int i = 0; i < x.size(); i++) {
            double old = x.get(i);
            x.set(i, old + h);
            double plus = be.dot(w, probe.forward(x, Mode.INFERENCE));
            x.set(i, old - h);
            double minus = be.dot(w, probe.forward(x, Mode.INFERENCE));
            x.set(i, old);
            double numeric = (plus - minus) / (2 * h);
            worst = Math.max(worst, Math.abs(analytic[i] - numeric) / Math.max(Math.abs(numeric), 1e-3));
        }
        assertTrue(worst < 1e-8, "max relative error " + worst);
    }

    @Test
    void backwardBeforeForwardIsAnError() {
        Swish layer = new Swish();
        assertThrows(IllegalStateException.class, () -> layer.backward(be.zeros(DType.FLOAT64, Shape.of(1, 2))));
        layer.forward(be.zeros(DType.FLOAT64, Shape.of(1, 2)), Mode.INFERENCE);
        assertThrows(IllegalStateException.class, () -> layer.backward(be.zeros(DType.FLOAT64, Shape.of(1, 2))));
    }

    @Test
    void foundByNameThroughTheRegistry() {
        Registry registry = Registry.load(SwishTest.class.getClassLoader());
        assertTrue(registry.layers().contains("swish"));
        assertInstanceOf(SwishProvider.class, registry.layers().get("SWISH"));
        Layer layer = registry.layer("swish", Settings.empty(),
                new LayerContext(be, DType.FLOAT32, Shape.of(5), new Random(1)));
        assertInstanceOf(Swish.class, layer);
        assertThrows(IllegalArgumentException.class, () -> registry.layer("swish", Settings.of("beta", 2),
                new LayerContext(be, DType.FLOAT32, Shape.of(5), new Random(1))));

        Network net = NetworkBuilder.on(registry, be, DType.FLOAT64, Shape.of(4), 1)
                .add("affine", Settings.of("units", 3)).add("swish").add("affine", Settings.of("units", 2))
                .loss("softmax-cross-entropy");
        assertEquals("[Affine1, Swish1, Affine2]", net.layers().names().toString());
    }
}
