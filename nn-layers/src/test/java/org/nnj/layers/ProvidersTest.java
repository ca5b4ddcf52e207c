package org.nnj.layers;

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
import org.nnj.api.Settings;
import org.nnj.api.Shape;
import org.nnj.api.spi.LayerProvider;
import org.nnj.api.spi.LossProvider;
import org.nnj.api.spi.Provider;

class ProvidersTest {
    private final LayerContext context = new LayerContext(Numeric.cpu(), F64, Shape.of(1, 2, 2), new Random(42));

    private static <P extends Provider> Map<String, P> load(Class<P> kind) {
        return ServiceLoader.load(kind).stream().map(ServiceLoader.Provider::get)
                .collect(Collectors.toMap(Provider::name, Function.identity()));
    }

    @Test
    void everyLayerAndLossIsFoundByName() {
        // other layers and losses register here too; these are the chapter-5 ones
        assertTrue(load(LayerProvider.class).keySet().containsAll(Set.of("affine", "relu", "sigmoid")));
        assertTrue(load(LossProvider.class).keySet().containsAll(Set.of("softmax-cross-entropy", "squared-error")));
    }

    @Test
    void providersCreateTheirKind() {
        Map<String, LayerProvider> layers = load(LayerProvider.class);
        assertInstanceOf(Relu.class, layers.get("relu").create(Settings.empty(), context));
        assertInstanceOf(Sigmoid.class, layers.get("sigmoid").create(Settings.empty(), context));
        Map<String, LossProvider> losses = load(LossProvider.class);
        assertInstanceOf(SoftmaxCrossEntropy.class, losses.get("softmax-cross-entropy").create(Settings.empty()));
        assertInstanceOf(SquaredError.class, losses.get("squared-error").create(Settings.empty()));
    }

    @Test
    void affineTakesItsInputSizeFromTheContextAndTheBooksDefaultStd() {
        Affine affine = (Affine) load(LayerProvider.class).get("affine").create(Settings.of("units", 3), context);
        assertEquals(Shape.of(4, 3), affine.weight().value().shape());
        Random expected = new Random(42);
        assertEquals(0.01 * expected.nextGaussian(), affine.weight().value().get(0), 0.0);
        assertEquals(0.01 * expected.nextGaussian(), affine.weight().value().get(1), 0.0);
        Affine wide = (Affine) load(LayerProvider.class).get("affine")
                .create(Settings.of("units", 2, "weight_std", 1.0, "init", "normal"), context);
        // the context's generator is shared along a network: the second layer continues after the first's 4·3 draws
        Random again = new Random(42);
        for (int i = 0; i < 4 * 3; i++) {
            again.nextGaussian();
        }
        assertEquals(1.0 * again.nextGaussian(), wide.weight().value().get(0), 0.0);
    }

    @Test
    void unknownSettingsAreRejectedNamingTheKeyAndTheKnownKeys() {
        LayerProvider affine = load(LayerProvider.class).get("affine");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> affine.create(Settings.of("unit", 3), context));
        assertTrue(e.getMessage().contains("'unit'") && e.getMessage().contains("init, units, weight_std"),
                e.getMessage());
        IllegalArgumentException relu = assertThrows(IllegalArgumentException.class,
                () -> load(LayerProvider.class).get("relu").create(Settings.of("alpha", 0.1), context));
        assertTrue(relu.getMessage().contains("'alpha'") && relu.getMessage().contains("none"), relu.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> load(LossProvider.class).get("squared-error").create(Settings.of("reduction", "sum")));
    }

    @Test
    void affineSettingsAreValidated() {
        LayerProvider affine = load(LayerProvider.class).get("affine");
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> affine.create(Settings.empty(), context));
        assertTrue(missing.getMessage().contains("units"), missing.getMessage());
        assertThrows(IllegalArgumentException.class, () -> affine.create(Settings.of("units", 0), context));
        assertThrows(IllegalArgumentException.class,
                () -> affine.create(Settings.of("units", 2, "weight_std", -1), context));
        IllegalArgumentException init = assertThrows(IllegalArgumentException.class,
                () -> affine.create(Settings.of("units", 2, "init", "glorot"), context));
        assertTrue(init.getMessage().contains("init") && init.getMessage().contains("normal"), init.getMessage());
    }
}
