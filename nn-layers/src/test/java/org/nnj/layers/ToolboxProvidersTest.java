package org.nnj.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nnj.layers.Numeric.F64;

import java.util.Map;
import java.util.Random;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.nnj.api.LayerContext;
import org.nnj.api.Mode;
import org.nnj.api.Settings;
import org.nnj.api.Shape;
import org.nnj.api.Tensor;
import org.nnj.api.spi.LayerProvider;
import org.nnj.api.spi.LossProvider;
import org.nnj.api.spi.Provider;

/** The providers of the chapter 6-7 layers, the sigmoid BCE loss and Affine's init setting. */
class ToolboxProvidersTest {
    private static <P extends Provider> Map<String, P> load(Class<P> kind) {
        return ServiceLoader.load(kind).stream().map(ServiceLoader.Provider::get)
                .collect(Collectors.toMap(Provider::name, Function.identity()));
    }

    private static LayerContext context(int... perSample) {
        return new LayerContext(Numeric.cpu(), F64, Shape.of(perSample), new Random(42));
    }

    private static LayerProvider layer(String name) {
        return load(LayerProvider.class).get(name);
    }

    @Test
    void foundByName() {
        assertTrue(load(LayerProvider.class).keySet().containsAll(
                Set.of("tanh", "leaky-relu", "dropout", "batchnorm", "flatten")));
        assertTrue(load(LossProvider.class).containsKey("sigmoid-binary-cross-entropy"));
        for (Provider p : load(LayerProvider.class).values()) {
            assertEquals(p.name().toLowerCase(java.util.Locale.ROOT), p.name());
            assertTrue(!p.description().isEmpty(), p.name());
        }
    }

    @Test
    void createTheirKindWithTheirSettings() {
        assertInstanceOf(Tanh.class, layer("tanh").create(Settings.empty(), context(4)));
        assertInstanceOf(Flatten.class, layer("flatten").create(Settings.empty(), context(1, 28, 28)));
        assertEquals(0.01, ((LeakyRelu) layer("leaky-relu").create(Settings.empty(), context(4))).alpha());
        assertEquals(0.2, ((LeakyRelu) layer("leaky-relu").create(Settings.of("alpha", 0.2), context(4))).alpha());
        assertEquals(0.5, ((Dropout) layer("dropout").create(Settings.empty(), context(4))).rate());
        assertEquals(0.2, ((Dropout) layer("dropout").create(Settings.of("rate", 0.2), context(4))).rate());
        BatchNorm dense = (BatchNorm) layer("batchnorm").create(Settings.empty(), context(50));
        assertEquals(50, dense.channels());
        assertEquals(0.9, dense.momentum());
        assertEquals(1e-5, dense.eps());
        BatchNorm conv = (BatchNorm) layer("batchnorm").create(Settings.of("momentum", 0.5, "eps", 1e-7),
                context(30, 12, 12));
        assertEquals(30, conv.channels());
        assertEquals(0.5, conv.momentum());
        assertEquals(1e-7, conv.eps());
        assertInstanceOf(SigmoidBinaryCrossEntropy.class,
                load(LossProvider.class).get("sigmoid-binary-cross-entropy").create(Settings.empty()));
    }

    @Test
    void dropoutSeedsAreReproducible() {
        Tensor x = Numeric.cpu().zeros(F64, Shape.of(4, 8));
        Numeric.cpu().fill(x, 1);
        double[] a = layer("dropout").create(Settings.of("seed", 5), context(8)).forward(x, Mode.TRAIN)
                .toDoubleArray();
        double[] b = new Dropout(0.5, 5L).forward(x, Mode.TRAIN).toDoubleArray();
        assertArrayEquals(b, a, 0.0);
        // without a seed: one nextLong() of the context's generator
        double[] c = layer("dropout").create(Settings.empty(), context(8)).forward(x, Mode.TRAIN).toDoubleArray();
        double[] d = new Dropout(0.5, new Random(42).nextLong()).forward(x, Mode.TRAIN).toDoubleArray();
        assertArrayEquals(d, c, 0.0);
    }

    @Test
    void affineAcceptsTheNamedInitialisers() {
        Affine he = (Affine) layer("affine").create(Settings.of("units", 3, "init", "he"), context(4));
        Random expected = new Random(42);
        assertEquals(Math.sqrt(2.0 / 4) * expected.nextGaussian(), he.weight().value().get(0), 1e-15);
        Affine xavier = (Affine) layer("affine").create(Settings.of("units", 3, "init", "xavier"), context(2, 2));
        Random again = new Random(42);
        assertEquals(Math.sqrt(1.0 / 4) * again.nextGaussian(), xavier.weight().value().get(0), 1e-15);
        assertArrayEquals(new double[3], xavier.bias().value().toDoubleArray(), 0.0);
        Affine normal = (Affine) layer("affine").create(Settings.of("units", 3, "init", "normal", "weight_std", 0.5),
                context(4));
        assertEquals(0.5 * new Random(42).nextGaussian(), normal.weight().value().get(0), 0.0);
        IllegalArgumentException both = assertThrows(IllegalArgumentException.class, () -> layer("affine")
                .create(Settings.of("units", 3, "init", "he", "weight_std", 0.1), context(4)));
        assertTrue(both.getMessage().contains("weight_std"), both.getMessage());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> layer("affine")
                .create(Settings.of("units", 3, "init", "glorot"), context(4)));
        assertTrue(unknown.getMessage().contains("normal, he, xavier"), unknown.getMessage());
    }

    @Test
    void unknownOrInvalidSettingsAreRejectedNamingTheKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> layer("dropout").create(Settings.of("p", 0.5), context(4)));
        assertTrue(e.getMessage().contains("'p'") && e.getMessage().contains("rate, seed"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> layer("batchnorm").create(Settings.of("mom", 0.5), context(4)));
        assertTrue(e.getMessage().contains("'mom'") && e.getMessage().contains("eps, momentum"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> layer("leaky-relu").create(Settings.of("slope", 0.5), context(4)));
        assertTrue(e.getMessage().contains("'slope'") && e.getMessage().contains("alpha"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> layer("tanh").create(Settings.of("alpha", 0.5), context(4)));
        assertTrue(e.getMessage().contains("none"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> layer("flatten").create(Settings.of("x", 1), context(4)));
        assertThrows(IllegalArgumentException.class, () -> load(LossProvider.class)
                .get("sigmoid-binary-cross-entropy").create(Settings.of("reduction", "sum")));
        assertThrows(IllegalArgumentException.class,
                () -> layer("dropout").create(Settings.of("rate", 1), context(4)));
        assertThrows(IllegalArgumentException.class,
                () -> layer("dropout").create(Settings.of("seed", "abc"), context(4)));
        assertThrows(IllegalArgumentException.class,
                () -> layer("leaky-relu").create(Settings.of("alpha", -1), context(4)));
        assertThrows(IllegalArgumentException.class,
                () -> layer("batchnorm").create(Settings.of("eps", 0), context(4)));
    }
}
