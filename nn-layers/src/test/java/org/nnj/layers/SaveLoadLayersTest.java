package org.nnj.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.nnj.api.Backend;
import org.nnj.api.DType;
import org.nnj.api.Mode;
import org.nnj.api.Parameter;
import org.nnj.api.Settings;
import org.nnj.api.Shape;
import org.nnj.api.ShapeException;
import org.nnj.api.Tensor;
import org.nnj.core.Network;
import org.nnj.core.NetworkBuilder;
import org.nnj.core.Registry;
import org.nnj.core.cpu.CpuBackend;
import org.nnj.core.io.ModelStore;
import org.nnj.core.io.NetworkSpec;

/** nn-layers' real layers through nn-core's ModelStore: BatchNorm's running statistics are saved and restored. */
class SaveLoadLayersTest {
    private final Registry registry = Registry.load();
    private final Backend cpu = new CpuBackend(1);

    private Tensor batch(DType dtype, int n, long seed) {
        Random r = new Random(seed);
        double[] v = new double[n * 6];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextGaussian() * 2 + 1;
        }
        return cpu.fromArray(dtype, Shape.of(n, 6), v);
    }

    private static long[] bits(Tensor t) {
        return java.util.Arrays.stream(t.toDoubleArray()).mapToLong(Double::doubleToRawLongBits).toArray();
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void batchNormNetworkPredictsBitForBitAfterSaveAndLoad(DType dtype, @TempDir Path dir) {
        Network net = NetworkBuilder.on(registry, cpu, dtype, Shape.of(6), 5)
                .add("affine", Settings.of("units", 8)).add("batchnorm").add("relu")
                .add("affine", Settings.of("units", 3)).loss("softmax-cross-entropy");
        assertEquals(List.of("BatchNorm1.running_mean", "BatchNorm1.running_var"), List.copyOf(net.state().keySet()));
        Tensor target = cpu.fromArray(dtype, Shape.of(10), 0, 1, 2, 0, 1, 2, 0, 1, 2, 0);
        for (int step = 0; step < 5; step++) { // a few SGD steps: weights and running statistics move
            net.gradient(batch(dtype, 10, step), target);
            for (Parameter p : net.parameters()) {
                cpu.axpy(-0.1, p.grad(), p.value());
            }
        }
        assertNotEquals(0.0, net.state().get("BatchNorm1.running_mean").get(0));
        Tensor x = batch(dtype, 7, 99);
        long[] before = bits(net.predict(x));
        ModelStore.save(net, dir);
        Network back = ModelStore.load(dir, registry, cpu);
        assertEquals(List.of("Affine1", "BatchNorm1", "Relu1", "Affine2"), back.layers().names());
        assertEquals(before.length, bits(back.predict(x)).length);
        org.junit.jupiter.api.Assertions.assertArrayEquals(before, bits(back.predict(x)));
        // the running statistics matter: without them the prediction differs
        Network fresh = NetworkBuilder.on(registry, cpu, dtype, Shape.of(6), 5)
                .add("affine", Settings.of("units", 8)).add("batchnorm").add("relu")
                .add("affine", Settings.of("units", 3)).loss("softmax-cross-entropy");
        for (int i = 0; i < net.parameters().size(); i++) {
            cpu.copy(net.parameters().get(i).value(), fresh.parameters().get(i).value());
        }
        assertTrue(!java.util.Arrays.equals(before, bits(fresh.predict(x))));
        assertEquals(bits(net.layers().layer("BatchNorm1").forward(
                net.layers().layer("Affine1").forward(x, Mode.INFERENCE), Mode.INFERENCE)).length, 7 * 8);
    }

    @Test
    void specWithRealLayersRejectsShapesThatDoNotFitNamingTheLayerAndBothShapes() {
        NetworkSpec spec = NetworkSpec.builder(Shape.of(784), DType.FLOAT32)
                .layer("affine", Settings.of("units", 50)).layer("conv2d", Settings.of("filters", 4, "kernel", 3))
                .loss("softmax-cross-entropy").build();
        ShapeException e = assertThrows(ShapeException.class, () -> spec.build(registry, cpu, 0));
        assertTrue(e.getMessage().startsWith("layer 2 (conv2d) on input (50): "), e.getMessage());
    }
}
