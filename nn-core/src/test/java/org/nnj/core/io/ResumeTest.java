package org.nnj.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nnj.api.Backend;
import org.nnj.api.DType;
import org.nnj.api.DataFormatException;
import org.nnj.api.Optimizer;
import org.nnj.api.Parameter;
import org.nnj.api.Tensor;
import org.nnj.core.EpochMetrics;
import org.nnj.core.Network;
import org.nnj.core.Trainer;
import org.nnj.core.cpu.CpuBackend;

class ResumeTest {
    private static final int EPOCHS = 5;
    private final Backend cpu = new CpuBackend(1);
    private final IoFixtures.Split train = new IoFixtures.Split(30, 1);
    private final IoFixtures.Split test = new IoFixtures.Split(9, 2);

    private static List<long[]> weights(Network net) {
        List<long[]> out = new ArrayList<>();
        for (Tensor t : ModelStore.persistentTensors(net).values()) {
            double[] v = t.toDoubleArray();
            long[] b = new long[v.length];
            for (int i = 0; i < v.length; i++) {
                b[i] = Double.doubleToRawLongBits(v[i]);
            }
            out.add(b);
        }
        return out;
    }

    private Trainer trainer(int epochs, int completed) {
        return Trainer.builder().epochs(epochs).batchSize(7).seed(13).completedEpochs(completed).build();
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void stoppingAfterEpochKAndResumingEqualsAnUninterruptedRun(DType dtype, @TempDir Path dir) {
        NetworkSpec spec = IoFixtures.spec(dtype);
        Network whole = spec.build(IoFixtures.registry(), cpu, 3);
        Optimizer wholeOpt = IoFixtures.registry().optimizer("t-momentum", spec.optimizer().orElseThrow().settings());
        List<EpochMetrics> wholeHistory = trainer(EPOCHS, 0).fit(whole, wholeOpt, train, test);

        for (int k = 1; k < EPOCHS; k++) {
            Network part = spec.build(IoFixtures.registry(), cpu, 3);
            Optimizer opt = IoFixtures.registry().optimizer("t-momentum", spec.optimizer().orElseThrow().settings());
            List<EpochMetrics> history = trainer(k, 0).fit(part, opt, train, test);
            Path cp = dir.resolve("k" + k);
            ModelStore.saveCheckpoint(cp, part, spec, opt, k, history);

            Checkpoint c = ModelStore.loadCheckpoint(cp, IoFixtures.registry(), new CpuBackend(2));
            assertEquals(k, c.epoch());
            assertEquals(history.size(), c.history().size());
            assertEquals(history.get(k - 1).loss(), c.history().get(k - 1).loss(), 0.0);
            Optimizer resumedOpt = c.optimizer(IoFixtures.registry());
            List<EpochMetrics> rest = trainer(EPOCHS, c.epoch()).fit(c.network(), resumedOpt, train, test);
            assertEquals(EPOCHS - k, rest.size());
            assertEquals(k + 1, rest.get(0).epoch());
            List<long[]> want = weights(whole);
            List<long[]> got = weights(c.network());
            for (int i = 0; i < want.size(); i++) {
                assertArrayEquals(want.get(i), got.get(i), "k=" + k + " tensor " + i);
            }
            assertEquals(wholeHistory.get(EPOCHS - 1).loss(), rest.get(rest.size() - 1).loss(), 0.0);
        }
    }

    @Test
    void withoutTheOptimizerStateTheRunDiffers(@TempDir Path dir) {
        // guards the test above against passing trivially: momentum state matters
        NetworkSpec spec = IoFixtures.spec(DType.FLOAT64);
        Network whole = spec.build(IoFixtures.registry(), cpu, 3);
        trainer(3, 0).fit(whole, IoFixtures.registry().optimizer("t-momentum", spec.optimizer().get().settings()),
                train, test);
        Network part = spec.build(IoFixtures.registry(), cpu, 3);
        Optimizer opt = IoFixtures.registry().optimizer("t-momentum", spec.optimizer().get().settings());
        trainer(1, 0).fit(part, opt, train, test);
        ModelStore.saveCheckpoint(dir, part, spec, opt, 1, List.of());
        Checkpoint c = ModelStore.loadCheckpoint(dir, IoFixtures.registry(), cpu);
        trainer(3, 1).fit(c.network(), IoFixtures.registry().optimizer("t-momentum", spec.optimizer().get().settings()),
                train, test);
        Parameter w = whole.parameter("Linear1.W");
        Parameter r = c.network().parameter("Linear1.W");
        assertTrue(w.value().get(0) != r.value().get(0));
    }

    @Test
    void aCheckpointIsAModelAndAModelIsNoCheckpoint(@TempDir Path dir) throws Exception {
        NetworkSpec spec = IoFixtures.spec(DType.FLOAT32);
        Network net = spec.build(IoFixtures.registry(), cpu, 3);
        Optimizer opt = IoFixtures.registry().optimizer("t-momentum", spec.optimizer().get().settings());
        trainer(1, 0).fit(net, opt, train, test);
        ModelStore.saveCheckpoint(dir, net, spec, opt, 1, List.of());
        ModelStore.load(dir, IoFixtures.registry(), cpu);
        ModelStore.save(net, dir);
        assertTrue(!Files.exists(dir.resolve("optimizer.safetensors")), "stale checkpoint files removed");
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> ModelStore.loadCheckpoint(dir, IoFixtures.registry(), cpu));
        assertTrue(e.getMessage().contains("manifest.json: expected an entry for optimizer.safetensors"),
                e.getMessage());
    }

    @Test
    void resumingPastTheEndIsRefused() {
        Network net = IoFixtures.spec(DType.FLOAT32).build(IoFixtures.registry(), cpu, 3);
        assertThrows(IllegalArgumentException.class, () -> trainer(2, 3).fit(net,
                IoFixtures.registry().optimizer("t-momentum", org.nnj.api.Settings.empty()), train, test));
    }
}
