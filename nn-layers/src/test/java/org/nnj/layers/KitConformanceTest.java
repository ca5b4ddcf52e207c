package org.nnj.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.nnj.api.Layer;
import org.nnj.api.Settings;
import org.nnj.api.Shape;
import org.nnj.api.spi.LayerProvider;
import org.nnj.core.Registry;
import org.nnj.testkit.LayerKit;

/** nnj's own layers pass the kit that plugin authors use: every layer provider, with settings and shapes that fit. */
class KitConformanceTest {

    private record Case(Settings settings, Shape input, Consumer<Layer> prepare) {
        Case(Settings settings, Shape input) {
            this(settings, input, layer -> { });
        }
    }

    private static final Map<String, Case> CASES = Map.ofEntries(
            Map.entry("affine", new Case(Settings.of("units", 3, "init", "he"), Shape.of(4))),
            Map.entry("relu", new Case(Settings.empty(), Shape.of(5))),
            Map.entry("sigmoid", new Case(Settings.empty(), Shape.of(5))),
            Map.entry("tanh", new Case(Settings.empty(), Shape.of(2, 3))),
            Map.entry("leaky-relu", new Case(Settings.of("alpha", 0.1), Shape.of(5))),
            Map.entry("dropout", new Case(Settings.of("rate", 0.3, "seed", 7), Shape.of(6),
                    layer -> ((Dropout) layer).freezeMask())),
            Map.entry("batchnorm", new Case(Settings.empty(), Shape.of(4))),
            Map.entry("flatten", new Case(Settings.empty(), Shape.of(2, 3, 3))),
            Map.entry("conv2d", new Case(Settings.of("filters", 2, "kernel", 3, "pad", 1, "init", "he"),
                    Shape.of(2, 4, 4))),
            Map.entry("maxpool2d", new Case(Settings.of("size", 2), Shape.of(2, 4, 4))),
            Map.entry("avgpool2d", new Case(Settings.of("size", 2, "stride", 1), Shape.of(1, 3, 3))));

    @Test
    void everyLayerProviderHasACase() {
        TreeSet<String> nnjLayers = new TreeSet<>();
        Registry.load().layers().all().forEach((name, p) -> {
            if (p.getClass().getName().startsWith("org.nnj.layers.")) {
                nnjLayers.add(name);
            }
        });
        assertEquals(new TreeSet<>(CASES.keySet()), nnjLayers, "add a case for each new layer provider");
    }

    @TestFactory
    Stream<DynamicTest> everyLayerPassesTheKit() {
        Map<String, LayerProvider> providers = Registry.load().layers().all();
        return new TreeSet<>(CASES.keySet()).stream().map(name -> DynamicTest.dynamicTest(name, () -> {
            Case c = CASES.get(name);
            LayerKit.of(providers.get(name)).settings(c.settings()).inputShape(c.input()).prepare(c.prepare())
                    .check();
        }));
    }

    @Test
    void batchNormPerChannelPassesTheKit() {
        LayerKit.of(Registry.load().layers().get("batchnorm")).inputShape(Shape.of(2, 2, 2)).batchSize(4).check();
    }
}
