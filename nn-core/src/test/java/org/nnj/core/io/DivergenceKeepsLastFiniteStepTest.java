package org.nnj.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nnj.api.Backend;
import org.nnj.api.DType;
import org.nnj.api.Optimizer;
import org.nnj.api.Parameter;
import org.nnj.api.Shape;
import org.nnj.api.Tensor;
import org.nnj.api.TrainingDivergedException;
import org.nnj.api.data.DataSplit;
import org.nnj.core.Network;
import org.nnj.core.Trainer;
import org.nnj.core.TrainingListener;
import org.nnj.core.cpu.CpuBackend;

/**
 * The trainer stops at the first non-finite gradient or weight and leaves the network as it was after the last finite
 * step: parameters and layer state (the fixture's {@code t-centre} running mean, which every training forward moves).
 */
class DivergenceKeepsLastFiniteStepTest {
    private final Backend cpu = new CpuBackend(1);
    private final NetworkSpec spec = IoFixtures.spec(DType.FLOAT64);

    /** Copies of every parameter and state tensor after each step, by step. */
    private static final class Recorder implements TrainingListener {
        final Network net;
        final Map<Integer, Map<String, double[]>> after = new LinkedHashMap<>();

        Recorder(Network net) {
            this.net = net;
        }

        @Override
        public void onStep(int epoch, int step, double loss) {
            Map<String, double[]> m = new LinkedHashMap<>();
            ModelStore.persistentTensors(net).forEach((k, t) -> m.put(k, t.toDoubleArray()));
            after.put(after.size() + 1, m);
        }
    }

    private static void assertState(Map<String, double[]> want, Network net) {
        Map<String, Tensor> live = ModelStore.persistentTensors(net);
        assertEquals(want.keySet(), live.keySet());
        want.forEach((k, v) -> assertArrayEquals(v, live.get(k).toDoubleArray(), 0.0, k));
    }

    @Test
    void anUpdateThatMakesAWeightNonFiniteIsUndoneAndNamed() {
        Network net = spec.build(IoFixtures.registry(), cpu, 3);
        Optimizer momentum = IoFixtures.registry().optimizer("t-momentum", spec.optimizer().orElseThrow().settings());
        int[] steps = {0};
        Optimizer blowsUpAtStep3 = params -> {
            momentum.step(params);
            if (++steps[0] == 3) {
                Parameter b = params.get(3); // Linear2.b
                b.value().set(1, Double.POSITIVE_INFINITY);
            }
        };
        Recorder r = new Recorder(net);
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> Trainer.builder().epochs(2)
                .batchSize(7).seed(13).listener(r).build().fit(net, blowsUpAtStep3, new IoFixtures.Split(30, 1),
                        new IoFixtures.Split(9, 2)));
        assertEquals("training diverged at step 3 (epoch 1, batch 3): the update made Linear2.b non-finite (loss "
                + e.getMessage().replaceAll(".*\\(loss ([^,]+),.*", "$1") + ", learning rate unknown); try a lower "
                + "learning rate", e.getMessage());
        assertEquals(2, r.after.size());
        assertState(r.after.get(2), net);
    }

    @Test
    void aNonFiniteGradientLeavesTheLayerStateOfTheLastFiniteStep() {
        Network net = spec.build(IoFixtures.registry(), cpu, 3);
        Optimizer momentum = IoFixtures.registry().optimizer("t-momentum", spec.optimizer().orElseThrow().settings());
        IoFixtures.Split clean = new IoFixtures.Split(30, 1);
        DataSplit poisoned = new DataSplit() {
            private int gathers;

            @Override
            public int size() {
                return clean.size();
            }

            @Override
            public Shape sampleShape() {
                return clean.sampleShape();
            }

            @Override
            public int numClasses() {
                return clean.numClasses();
            }

            @Override
            public int label(int i) {
                return clean.label(i);
            }

            @Override
            public void gather(int[] idx, int from, int count, Tensor features, Tensor targets) {
                clean.gather(idx, from, count, features, targets);
                if (++gathers == 2) {
                    features.set(0, Double.NaN); // step 2's forward moves t-centre's running mean to NaN
                }
            }
        };
        Recorder r = new Recorder(net);
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> Trainer.builder().epochs(1)
                .batchSize(7).seed(13).listener(r).build().fit(net, momentum, poisoned, new IoFixtures.Split(9, 2)));
        assertTrue(e.getMessage().startsWith("training diverged at step 2 (epoch 1, batch 2): the gradient of "
                + "Linear1.W is not finite"), e.getMessage());
        assertEquals(1, r.after.size());
        assertState(r.after.get(1), net);
        assertEquals(List.of("TCentre1.running_mean"), List.copyOf(net.state().keySet()));
        assertTrue(cpu.allFinite(net.state().get("TCentre1.running_mean")));
    }
}
