package org.nnj.core.io;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.nnj.api.DType;
import org.nnj.api.Optimizer;
import org.nnj.api.Settings;
import org.nnj.api.Shape;
import org.nnj.api.Tensor;
import org.nnj.core.EpochMetrics;
import org.nnj.core.Network;
import org.nnj.core.Trainer;
import org.nnj.core.TrainingListener;
import org.nnj.core.cpu.CpuBackend;

/**
 * The process {@link CrashSafetyTest} kills: trains the io fixtures' small net for {@code epochs} epochs, saving a
 * checkpoint into {@code dir} after every epoch, and resumes from the checkpoint in {@code dir} if there is one.
 * Deterministic: the data, the initial weights and the shuffles depend only on fixed seeds.
 *
 * <p>Prints one marker line per event on stdout, flushed at once, so that the parent knows what the process was doing
 * when it died: {@code ready E} (checkpoint of epoch E loaded, or 0: fresh start; training begins),
 * {@code save-begin E}, {@code save-end E FINGERPRINT} and {@code done}.
 *
 * <p>Usage: {@code CrashChild DIR EPOCHS TRAIN_SAMPLES}.
 */
public final class CrashChild {
    static final int BATCH = 10;
    static final long SHUFFLE_SEED = 13;
    static final long INIT_SEED = 3;

    private CrashChild() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int epochs = Integer.parseInt(args[1]);
        int samples = Integer.parseInt(args[2]);
        IoFixtures.Split train = new IoFixtures.Split(samples, 1);
        IoFixtures.Split test = new IoFixtures.Split(BATCH, 2);
        try (CpuBackend cpu = new CpuBackend(1)) {
            Network net;
            NetworkSpec spec;
            Optimizer opt;
            int completed;
            List<EpochMetrics> history = new ArrayList<>();
            if (Files.exists(dir.resolve(ModelStore.MANIFEST_FILE))) {
                Checkpoint c = ModelStore.loadCheckpoint(dir, IoFixtures.registry(), cpu);
                net = c.network();
                spec = c.spec();
                opt = c.optimizer(IoFixtures.registry());
                completed = c.epoch();
                history.addAll(c.history());
            } else {
                spec = spec();
                net = spec.build(IoFixtures.registry(), cpu, INIT_SEED);
                opt = IoFixtures.registry().optimizer("t-momentum", spec.optimizer().orElseThrow().settings());
                completed = 0;
            }
            say("ready " + completed);
            if (completed < epochs) {
                Network n = net;
                NetworkSpec s = spec;
                Optimizer o = opt;
                TrainingListener saver = new TrainingListener() {
                    @Override
                    public void onEpoch(EpochMetrics m) {
                        history.add(m);
                        say("save-begin " + m.epoch());
                        ModelStore.saveCheckpoint(dir, n, s, o, m.epoch(), history);
                        say("save-end " + m.epoch() + " " + fingerprint(n, o));
                    }
                };
                Trainer.builder().epochs(epochs).batchSize(BATCH).seed(SHUFFLE_SEED).completedEpochs(completed)
                        .listener(saver).build().fit(net, opt, train, test);
            }
            say("done");
        }
    }

    /** Linear 3→32, centre, ramp, linear 32→3, squared loss; momentum at a rate that stays finite for 600 epochs. */
    static NetworkSpec spec() {
        return NetworkSpec.builder(Shape.of(3), DType.FLOAT64)
                .layer("t-linear", Settings.of("units", 32)).layer("t-centre").layer("t-ramp")
                .layer("t-linear", Settings.of("units", 3)).loss("t-squared")
                .optimizer("t-momentum", Settings.of("lr", 0.01)).build();
    }

    private static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }

    /**
     * SHA-256 over the raw bits of every saved weight and every optimizer state tensor, by name: equal fingerprints
     * mean bit-identical training state.
     */
    static String fingerprint(Network net, Optimizer opt) {
        Map<String, Tensor> all = new TreeMap<>();
        ModelStore.persistentTensors(net).forEach((k, v) -> all.put("w " + k, v));
        opt.state().forEach((k, v) -> all.put("o " + k, v));
        MessageDigest sha = AtomicFiles.sha256();
        for (Map.Entry<String, Tensor> e : all.entrySet()) {
            sha.update(e.getKey().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            for (double v : e.getValue().toDoubleArray()) {
                long bits = Double.doubleToRawLongBits(v);
                for (int i = 0; i < 8; i++) {
                    sha.update((byte) (bits >>> (8 * i)));
                }
            }
        }
        return java.util.HexFormat.of().formatHex(sha.digest());
    }
}
