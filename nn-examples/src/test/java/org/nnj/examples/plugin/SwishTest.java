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
import org.nnj.testkit.LayerKit;

/** The custom layer: values, the plugin author's kit (gradients, contract, save/load, discovery), and use by name. */
class SwishTest {
    private final CpuBackend be = new CpuBackend(1);

    @AfterEach
    void close() {
        be.close();
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

    /**
     * Everything nnj asks of a layer, in one call: shapes, backward against central differences in float64 for the
     * input (and parameters, if any), no mutation of x and dout, backward before forward (or after an inference-mode
     * forward only) rejected, save and load bit for bit, and discovery of "swish" through ServiceLoader.
     */
    @Test
    void passesTheLayerKit() {
        LayerKit.check(new SwishProvider(), Settings.empty(), Shape.of(7));
        LayerKit.of(new SwishProvider()).inputShape(Shape.of(2, 3, 3)).batchSize(2).inputRange(-6, 6).check();
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
