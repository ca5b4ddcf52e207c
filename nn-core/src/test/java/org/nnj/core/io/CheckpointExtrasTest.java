package org.nnj.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nnj.api.Backend;
import org.nnj.api.DType;
import org.nnj.api.DataFormatException;
import org.nnj.api.Optimizer;
import org.nnj.api.Settings;
import org.nnj.api.Tensor;
import org.nnj.core.EarlyStopping;
import org.nnj.core.EpochMetrics;
import org.nnj.core.Network;
import org.nnj.core.Trainer;
import org.nnj.core.TrainingListener;
import org.nnj.core.cpu.CpuBackend;

/** Checkpoints with early stopping and run settings (checkpoint.json version 2), and the spec's schedule. */
class CheckpointExtrasTest {
    private final Backend cpu = new CpuBackend(1);
    private final IoFixtures.Split train = new IoFixtures.Split(30, 1);
    private final IoFixtures.Split test = new IoFixtures.Split(9, 2);
    private final NetworkSpec spec = IoFixtures.spec(DType.FLOAT64);

    private Optimizer optimizer() {
        return IoFixtures.registry().optimizer("t-momentum", spec.optimizer().orElseThrow().settings());
    }

    /** Epoch 1 always improves and no later epoch can beat it by 1e9: stops after epoch 1 + patience. */
    private static EarlyStopping stopping() {
        return new EarlyStopping(EarlyStopping.Monitor.LOSS, 2, 1e9);
    }

    private static Trainer trainer(int epochs, int completed, EarlyStopping es) {
        Trainer.Builder b = Trainer.builder().epochs(epochs).batchSize(7).seed(13).completedEpochs(completed);
        return (es == null ? b : b.earlyStopping(es)).build();
    }

    private static List<long[]> bits(Network net) {
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

    private static void assertSameBits(Network want, Network got) {
        List<long[]> a = bits(want);
        List<long[]> b = bits(got);
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i), b.get(i), "tensor " + i);
        }
    }

    @Test
    void aResumedRunStopsWhereTheUninterruptedOneStopsWithTheSameBestWeights(@TempDir Path dir) {
        Network whole = spec.build(IoFixtures.registry(), cpu, 3);
        EarlyStopping wholeEs = stopping();
        List<EpochMetrics> wholeHistory = trainer(10, 0, wholeEs).fit(whole, optimizer(), train, test);
        assertEquals(3, wholeHistory.size(), "stopped after epoch 3");
        Network one = spec.build(IoFixtures.registry(), cpu, 3);
        trainer(1, 0, null).fit(one, optimizer(), train, test);
        assertSameBits(one, whole); // the best epoch's weights and state (t-centre's running mean) were restored

        // stop after epoch 2 (best epoch 1, one epoch without improvement), save, load, resume; the checkpoint is
        // saved as the epoch ends, before fit puts the best weights back at its end
        Network part = spec.build(IoFixtures.registry(), cpu, 3);
        Optimizer opt = optimizer();
        EarlyStopping es = stopping();
        Map<String, String> run = new LinkedHashMap<>();
        run.put("dataset", "fixture");
        run.put("data_dir", "/tmp/somewhere");
        List<EpochMetrics> history = new ArrayList<>();
        Trainer.builder().epochs(2).batchSize(7).seed(13).earlyStopping(es).listener(new TrainingListener() {
            @Override
            public void onEpoch(EpochMetrics m) {
                history.add(m);
                ModelStore.saveCheckpoint(dir, part, spec, opt, m.epoch(), history, es, run);
            }
        }).build().fit(part, opt, train, test);
        assertTrue(Files.exists(dir.resolve(ModelStore.BEST_FILE)));

        Checkpoint c = ModelStore.loadCheckpoint(dir, IoFixtures.registry(), new CpuBackend(2));
        assertEquals(run, c.run());
        assertEquals(List.of("dataset", "data_dir"), List.copyOf(c.run().keySet()), "in the saved order");
        EarlyStopping loaded = c.earlyStopping().orElseThrow();
        assertEquals(EarlyStopping.Monitor.LOSS, loaded.monitor());
        assertEquals(2, loaded.patience());
        assertEquals(1e9, loaded.minDelta(), 0.0);
        assertEquals(1, loaded.bestEpoch());
        assertEquals(es.best(), loaded.best(), 0.0);
        assertEquals(1, loaded.epochsWithoutImprovement());
        assertFalse(loaded.stopped());

        List<EpochMetrics> rest = trainer(10, c.epoch(), loaded).fit(c.network(), c.optimizer(IoFixtures.registry()),
                train, test);
        assertEquals(1, rest.size(), "epoch 3 only");
        assertEquals(wholeHistory.get(2).loss(), rest.get(0).loss(), 0.0);
        assertTrue(loaded.stopped());
        assertSameBits(whole, c.network());
    }

    /** The README's two ways back to the optimizer: by the spec's name for it, or restored into one made by hand. */
    @Test
    void aSpecWithoutAnOptimizerSaysHowToRestoreOneAndRestoringItContinuesBitForBit(@TempDir Path dir) {
        NetworkSpec bare = spec.architecture();
        Network net = bare.build(IoFixtures.registry(), cpu, 3);
        Optimizer opt = optimizer();
        trainer(1, 0, null).fit(net, opt, train, test);
        ModelStore.saveCheckpoint(dir, net, opt, 1, List.of());
        Checkpoint c = ModelStore.loadCheckpoint(dir, IoFixtures.registry(), cpu);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> c.optimizer(IoFixtures.registry()));
        assertEquals("the checkpoint's network.json names no optimizer; create one and call restoreOptimizer",
                e.getMessage());
        Optimizer made = optimizer();
        c.restoreOptimizer(made);
        trainer(2, 1, null).fit(net, opt, train, test);
        trainer(2, 1, null).fit(c.network(), made, train, test);
        assertSameBits(net, c.network()); // the momentum's velocity came back too

        Path named = dir.resolve("named");
        ModelStore.saveCheckpoint(named, net, net.spec().orElseThrow().withOptimizer(spec.optimizer().orElseThrow()),
                opt, 2, List.of());
        assertEquals(opt.getClass(), ModelStore.loadCheckpoint(named, IoFixtures.registry(), cpu)
                .optimizer(IoFixtures.registry()).getClass());
    }

    @Test
    void withoutEarlyStoppingThereIsNoBestFileAndNoState(@TempDir Path dir) {
        Network net = spec.build(IoFixtures.registry(), cpu, 3);
        Optimizer opt = optimizer();
        trainer(1, 0, null).fit(net, opt, train, test);
        ModelStore.saveCheckpoint(dir, net, spec, opt, 1, List.of());
        Checkpoint c = ModelStore.loadCheckpoint(dir, IoFixtures.registry(), cpu);
        assertTrue(c.earlyStopping().isEmpty());
        assertEquals(Map.of(), c.run());
        assertFalse(Files.exists(dir.resolve(ModelStore.BEST_FILE)));
    }

    @Test
    void versionOneCheckpointsStillLoadAndUnknownVersionsAreOneLine(@TempDir Path dir) throws IOException {
        Network net = spec.build(IoFixtures.registry(), cpu, 3);
        Optimizer opt = optimizer();
        trainer(1, 0, null).fit(net, opt, train, test);
        ModelStore.saveCheckpoint(dir, net, spec, opt, 1, List.of());
        Path cp = dir.resolve(ModelStore.CHECKPOINT_FILE);
        String v2 = Files.readString(cp);
        assertTrue(v2.contains("\"version\": 2"), v2);

        Files.writeString(cp, v2.replace("\"version\": 2", "\"version\": 1"));
        reseal(dir, ModelStore.CHECKPOINT_FILE);
        assertEquals(1, ModelStore.loadCheckpoint(dir, IoFixtures.registry(), cpu).epoch());

        Files.writeString(cp, v2.replace("\"version\": 2", "\"version\": 3"));
        reseal(dir, ModelStore.CHECKPOINT_FILE);
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> ModelStore.loadCheckpoint(dir, IoFixtures.registry(), cpu));
        assertEquals(cp + ": unsupported nnj-checkpoint version 3; this nnj reads versions 1 and 2", e.getMessage());

        // version 1 knows nothing of early stopping
        Files.writeString(cp, v2.replace("\"version\": 2", "\"version\": 1").replace("\"history\"",
                "\"run\": {\"a\": \"b\"}, \"history\""));
        reseal(dir, ModelStore.CHECKPOINT_FILE);
        e = assertThrows(DataFormatException.class, () -> ModelStore.loadCheckpoint(dir, IoFixtures.registry(), cpu));
        assertTrue(e.getMessage().contains("unknown key \"run\""), e.getMessage());
    }

    @Test
    void aBestEpochWithoutItsWeightsOrBadStateIsRefused(@TempDir Path dir) throws IOException {
        Network net = spec.build(IoFixtures.registry(), cpu, 3);
        Optimizer opt = optimizer();
        EarlyStopping es = stopping();
        List<EpochMetrics> h = trainer(2, 0, es).fit(net, opt, train, test);
        ModelStore.saveCheckpoint(dir, net, spec, opt, 2, h, es, Map.of());
        Path cp = dir.resolve(ModelStore.CHECKPOINT_FILE);
        String good = Files.readString(cp);

        Files.writeString(cp, good.replace("\"monitor\": \"loss\"", "\"monitor\": \"val_loss\""));
        reseal(dir, ModelStore.CHECKPOINT_FILE);
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> ModelStore.loadCheckpoint(dir, IoFixtures.registry(), cpu));
        assertEquals(cp + ": early_stopping.monitor: expected loss, train_acc or test_acc, found \"val_loss\"",
                e.getMessage());

        Files.writeString(cp, good.replace("\"best_epoch\": 1", "\"best_epoch\": 5"));
        reseal(dir, ModelStore.CHECKPOINT_FILE);
        e = assertThrows(DataFormatException.class, () -> ModelStore.loadCheckpoint(dir, IoFixtures.registry(), cpu));
        assertTrue(e.getMessage().contains("early_stopping.best_epoch to be a whole number in [0, 2]"),
                e.getMessage());

        Files.writeString(cp, good);
        reseal(dir, ModelStore.CHECKPOINT_FILE);
        unlist(dir, ModelStore.BEST_FILE);
        e = assertThrows(DataFormatException.class, () -> ModelStore.loadCheckpoint(dir, IoFixtures.registry(), cpu));
        assertEquals(cp + ": early_stopping.best_epoch is 1 but manifest.json lists no best.safetensors",
                e.getMessage());
    }

    @Test
    void theSpecKeepsItsScheduleAndDtypeMayBeLeftOut() {
        NetworkSpec s = spec.withTraining(new NetworkSpec.Training(5, 10, 7,
                new NetworkSpec.Component("step", Settings.of("step_size", 2, "gamma", 0.5))));
        NetworkSpec back = NetworkSpec.fromJson(s.toJson(), "mem");
        assertEquals(s, back);
        assertEquals("step", back.training().orElseThrow().scheduleSpec().orElseThrow().provider());
        assertTrue(s.toJson().contains("\"schedule\": {"), s.toJson());

        String noDtype = spec.toJson().replace("\"dtype\": \"float64\",", "");
        assertEquals(DType.FLOAT32, NetworkSpec.fromJson(noDtype, "mem").dtype());
        DataFormatException e = assertThrows(DataFormatException.class, () -> NetworkSpec.fromJson(
                s.toJson().replace("\"name\": \"step\"", "\"name\": \"\""), "mem"));
        assertEquals("mem: training.schedule.name: expected a schedule name, found \"\"", e.getMessage());
        e = assertThrows(DataFormatException.class, () -> NetworkSpec.fromJson(
                s.toJson().replace("\"name\": \"step\"", "\"kind\": \"step\""), "mem"));
        assertTrue(e.getMessage().startsWith("mem: unknown key \"kind\" in training.schedule"), e.getMessage());
    }

    /** Rewrites the manifest's entry for {@code name} to match the file as it now is. */
    static void reseal(Path dir, String name) throws IOException {
        Path manifest = dir.resolve(ModelStore.MANIFEST_FILE);
        JsonObject m = JsonParser.parseString(Files.readString(manifest)).getAsJsonObject();
        JsonObject entry = m.getAsJsonObject("files").getAsJsonObject(name);
        entry.addProperty("sha256", AtomicFiles.sha256(dir.resolve(name)));
        entry.addProperty("bytes", Files.size(dir.resolve(name)));
        Files.writeString(manifest, m.toString());
    }

    private static void unlist(Path dir, String name) throws IOException {
        Path manifest = dir.resolve(ModelStore.MANIFEST_FILE);
        JsonObject m = JsonParser.parseString(Files.readString(manifest)).getAsJsonObject();
        m.getAsJsonObject("files").remove(name);
        Files.writeString(manifest, m.toString());
        Files.delete(dir.resolve(name));
    }
}
