package org.nnj.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nnj.api.DType;
import org.nnj.api.Optimizer;
import org.nnj.api.Parameter;
import org.nnj.api.Settings;
import org.nnj.api.Shape;
import org.nnj.api.Tensor;
import org.nnj.api.TrainingDivergedException;
import org.nnj.core.Network;
import org.nnj.core.Trainer;
import org.nnj.core.TrainingListener;
import org.nnj.core.cpu.CpuBackend;

/**
 * Training that blows up, for real: momentum at a learning rate far too high on the io fixtures' small net (with a
 * layer that has state), once so that a gradient overflows after some steps, once so that the first update does. The
 * step must be named with the first parameter that went non-finite and a hint to lower the rate, and the network and
 * the optimizer must be left exactly as after the last finite step (weights, layer state, optimizer state), so that a
 * checkpoint saved then holds the last good state.
 */
class DivergenceTest {
    private static NetworkSpec spec(DType dtype, double lr) {
        return NetworkSpec.builder(Shape.of(3), dtype)
                .layer("t-linear", Settings.of("units", 8)).layer("t-centre").layer("t-ramp")
                .layer("t-linear", Settings.of("units", 3)).loss("t-squared")
                .optimizer("t-momentum", Settings.of("lr", lr)).build();
    }

    private static byte[] readAll(Path f) {
        try {
            return java.nio.file.Files.readAllBytes(f);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Every saved tensor (parameters, layer state, optimizer state) as raw bits, copied. */
    private static Map<String, long[]> snapshot(Network net, Optimizer opt) {
        Map<String, Tensor> all = new LinkedHashMap<>(ModelStore.persistentTensors(net));
        opt.state().forEach((name, t) -> all.put("optimizer " + name, t));
        Map<String, long[]> out = new LinkedHashMap<>();
        all.forEach((name, t) -> {
            double[] v = t.toDoubleArray();
            long[] bits = new long[v.length];
            for (int i = 0; i < v.length; i++) {
                bits[i] = Double.doubleToRawLongBits(v[i]);
            }
            out.put(name, bits);
        });
        return out;
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void aGradientThatOverflowsIsNamedAndTheLastFiniteStepIsKept(DType dtype, @TempDir Path dir) {
        String msg = diverge(dtype, 3, 1, true, dir);
        assertTrue(msg.contains("the gradient of Linear1.W is not finite"), msg);
        assertTrue(!msg.contains("at step 1 ("), "diverges after some finite steps, not at once: " + msg);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void anUpdateThatOverflowsIsNamedAndTheLastFiniteStepIsKept(DType dtype, @TempDir Path dir) {
        // finite gradients (features of up to 10 make some larger than 1), but the rate makes the first update infinite
        // (the optimizer's own state is not put back after such a step: momentum keeps the infinite velocity)
        String msg = diverge(dtype, dtype == DType.FLOAT32 ? 1e39 : 1e308, 10, false, dir);
        assertTrue(msg.matches("training diverged at step 1 \\(epoch 1, batch 1\\): the update made Linear1\\.W "
                + "non-finite \\(loss [0-9.E-]+, learning rate [^)]+\\); try a lower learning rate"), msg);
    }

    /**
     * Trains until the run diverges, checks the message and that the network (and the optimizer, if
     * {@code optimizerKept}) are as after the last finite step; returns the message.
     */
    private static String diverge(DType dtype, double lr, double featureScale, boolean optimizerKept, Path dir) {
        try (CpuBackend cpu = new CpuBackend(1)) {
            NetworkSpec spec = spec(dtype, lr);
            Network net = spec.build(IoFixtures.registry(), cpu, 5);
            Optimizer opt = IoFixtures.registry().optimizer("t-momentum", spec.optimizer().orElseThrow().settings());
            IoFixtures.Split train = new IoFixtures.Split(40, 1);
            for (double[] row : train.x) {
                for (int j = 0; j < row.length; j++) {
                    row[j] *= featureScale;
                }
            }
            Map<String, long[]>[] lastFinite = new Map[] {snapshot(net, opt)};
            int[] steps = {0};
            int[] stepsPerEpoch = {0};
            TrainingListener watch = new TrainingListener() {
                @Override
                public void onStart(int epochs, int perEpoch) {
                    stepsPerEpoch[0] = perEpoch;
                }

                @Override
                public void onStep(int epoch, int step, double loss) {
                    steps[0]++;
                    lastFinite[0] = snapshot(net, opt); // after the optimizer's step
                }
            };
            TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> Trainer.builder()
                    .epochs(100).batchSize(8).seed(7).listener(watch).build().fit(net, opt, train, train));
            String msg = e.getMessage();

            int step = steps[0] + 1;
            String where = "training diverged at step " + step + " (epoch " + ((step - 1) / stepsPerEpoch[0] + 1)
                    + ", batch " + ((step - 1) % stepsPerEpoch[0] + 1) + "): ";
            // the first parameter, in network order, whose gradient the failing step left non-finite
            String first = net.parameters().stream().filter(p -> !cpu.allFinite(p.grad())).map(Parameter::name)
                    .findFirst().orElse(null);
            if (first != null) {
                assertTrue(msg.startsWith(where + "the gradient of " + first + " is not finite"), msg);
            } else {
                assertTrue(msg.startsWith(where + "the loss is ") || msg.startsWith(where + "the update made "), msg);
            }
            assertTrue(msg.endsWith("; try a lower learning rate"), msg);
            assertTrue(!msg.contains("\n"), "one line: " + msg);

            for (Tensor t : ModelStore.persistentTensors(net).values()) {
                assertTrue(cpu.allFinite(t), "the weights stay finite");
            }
            Map<String, long[]> now = snapshot(net, opt);
            if (!optimizerKept) {
                now.keySet().removeIf(k -> k.startsWith("optimizer "));
                lastFinite[0].keySet().removeIf(k -> k.startsWith("optimizer "));
            }
            assertEquals(lastFinite[0].keySet(), now.keySet());
            for (String name : now.keySet()) {
                assertArrayEquals(lastFinite[0].get(name), now.get(name), name + " is not as after step " + steps[0]
                        + " (" + msg + ")");
            }

            if (!optimizerKept && opt.state().values().stream().anyMatch(t -> !cpu.allFinite(t))) {
                // the optimizer's state is not rolled back, so a checkpoint of it is refused, naming the tensor, and
                // the checkpoint already in the directory stays as it was
                Path cpDir = dir.resolve("checkpoint");
                Network fresh = spec.build(IoFixtures.registry(), cpu, 5);
                Optimizer freshOpt = IoFixtures.registry().optimizer("t-momentum",
                        spec.optimizer().orElseThrow().settings());
                ModelStore.saveCheckpoint(cpDir, fresh, spec, freshOpt, 0, List.of());
                byte[] before = readAll(cpDir.resolve(ModelStore.OPTIMIZER_FILE));
                IllegalStateException refused = assertThrows(IllegalStateException.class,
                        () -> ModelStore.saveCheckpoint(cpDir, net, spec, opt, 1, List.of()));
                assertTrue(refused.getMessage().matches("not saving a checkpoint: optimizer state \\S+ is not "
                        + "finite \\(did training diverge\\?\\); the previous checkpoint is kept"),
                        refused.getMessage());
                assertArrayEquals(before, readAll(cpDir.resolve(ModelStore.OPTIMIZER_FILE)));
                assertEquals(0, ModelStore.loadCheckpoint(cpDir, IoFixtures.registry(), cpu).epoch());
            }

            // what is left can be saved and loaded: the run's work is not lost
            ModelStore.save(net, spec, dir);
            Network loaded = ModelStore.load(dir, IoFixtures.registry(), cpu);
            Map<String, long[]> reloaded = snapshot(loaded, opt);
            for (String name : ModelStore.persistentTensors(net).keySet()) {
                assertArrayEquals(now.get(name), reloaded.get(name), name + " saved and loaded");
            }
            return msg;
        }
    }
}
