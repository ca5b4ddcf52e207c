package org.nnj.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nnj.api.Backend;
import org.nnj.api.DType;
import org.nnj.api.Settings;
import org.nnj.api.Shape;
import org.nnj.api.Tensor;
import org.nnj.api.data.DataSplit;
import org.nnj.core.Network;
import org.nnj.core.NetworkBuilder;
import org.nnj.core.Registry;
import org.nnj.core.Trainer;
import org.nnj.core.cpu.CpuBackend;
import org.nnj.core.io.ModelStore;

/**
 * Issue 5's promise that a model outlives its process: a net with layer state (batch norm's running statistics, a
 * dropout generator) is trained and saved here, then a fresh JVM loads it and predicts the embedded test split; its
 * scores must be bit for bit the ones the trained network gave in this JVM.
 */
class FreshProcessPredictionTest {
    @Test
    void aSavedModelPredictsBitForBitTheSameInAFreshJvm(@TempDir Path dir) throws Exception {
        for (DType dtype : DType.values()) {
            Path model = dir.resolve(dtype.toString());
            String expected;
            try (CpuBackend cpu = new CpuBackend(2)) {
                Registry registry = Registry.load(Main.class.getClassLoader());
                DataSplit train = LimitedSplit.of(registry.dataset("mnist", Settings.empty()).train(), 600);
                DataSplit test = registry.dataset("mnist", Settings.empty()).test();
                Network net = NetworkBuilder.on(registry, cpu, dtype, train.sampleShape(), 3)
                        .add("affine", Settings.of("units", 30, "init", "he"))
                        .add("batchnorm")
                        .add("relu")
                        .add("dropout", Settings.of("rate", 0.2))
                        .add("affine", Settings.of("units", 10, "init", "he"))
                        .loss("softmax-cross-entropy");
                Trainer.builder().epochs(2).batchSize(50).seed(3).build()
                        .fit(net, registry.optimizer("adam", Settings.empty()), train, test);
                ModelStore.save(net, model);
                expected = PredictBitsChild.digest(net.predict(PredictBitsChild.features(test, cpu, dtype)));
            }
            String fresh = runChild(model, dtype);
            assertEquals(expected, fresh, dtype + ": the fresh JVM's scores differ from the trained network's");
        }
    }

    private static String runChild(Path model, DType dtype) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // the same kernels as this JVM: the Vector API ones only if this JVM runs them too
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
                || System.getProperty("nnj.test.childVector") != null) {
            cmd.addAll(List.of("--add-modules", "jdk.incubator.vector"));
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), PredictBitsChild.class.getName(),
                model.toString(), dtype.toString()));
        Path out = model.resolveSibling(model.getFileName() + ".out");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!p.waitFor(2, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("the child JVM took over 2 minutes");
        }
        List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), String.join("\n", lines));
        return lines.stream().filter(l -> l.startsWith("scores ")).findFirst()
                .orElseThrow(() -> new AssertionError("no scores line: " + lines));
    }

    /** The child: loads a saved model and prints a digest of its scores on the embedded test split. */
    static final class PredictBitsChild {
        public static void main(String[] args) throws Exception {
            try (CpuBackend cpu = new CpuBackend(1)) {
                Registry registry = Registry.load(PredictBitsChild.class.getClassLoader());
                Network net = ModelStore.load(Path.of(args[0]), registry, cpu);
                DataSplit test = registry.dataset("mnist", Settings.empty()).test();
                System.out.println(digest(net.predict(features(test, cpu, DType.parse(args[1])))));
            }
        }

        static Tensor features(DataSplit split, Backend backend, DType dtype) {
            int n = split.size();
            int[] all = new int[n];
            for (int i = 0; i < n; i++) {
                all[i] = i;
            }
            Tensor x = backend.zeros(dtype, split.sampleShape().withBatch(n));
            split.gather(all, 0, n, x, backend.zeros(dtype, Shape.of(n)));
            return x;
        }

        /** {@code scores <count> <SHA-256 of every score's float64 bits>}: equal only if every bit is. */
        static String digest(Tensor scores) throws Exception {
            double[] v = scores.toDoubleArray();
            java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8 * v.length);
            for (double d : v) {
                b.putLong(Double.doubleToRawLongBits(d));
            }
            sha.update(b.array());
            return "scores " + v.length + " " + java.util.HexFormat.of().formatHex(sha.digest());
        }
    }
}
