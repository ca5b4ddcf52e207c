package org.nnj.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nnj.api.DType;
import org.nnj.api.Optimizer;
import org.nnj.api.Tensor;
import org.nnj.api.data.DataSplit;
import org.nnj.api.data.Dataset;
import org.nnj.api.Settings;
import org.nnj.core.Network;
import org.nnj.core.Registry;
import org.nnj.core.Trainer;
import org.nnj.core.cpu.CpuBackend;

/**
 * The cpu backend's promise: the same seed gives bit-identical metrics and weights with 1 and 2 threads (work is split
 * only where no sum is reordered).
 */
class ThreadsDeterminismTest {

    /** The metrics lines without their {@code seconds} field. */
    private static List<String> withoutSeconds(Path file) throws IOException {
        return Files.readAllLines(file).stream().map(l -> l.replaceAll(",?\"seconds\":[^,}]*", "")).toList();
    }

    private static void sameMetrics(Path tmp, String... modelArgs) throws IOException {
        Path a = tmp.resolve("a.jsonl");
        Path b = tmp.resolve("b.jsonl");
        List<String> common = new java.util.ArrayList<>(List.of(modelArgs));
        Cli r1 = Cli.run(concat(common, "--threads", "1", "--metrics", a.toString()));
        assertEquals(0, r1.code, r1::toString);
        Cli r2 = Cli.run(concat(common, "--threads", "2", "--metrics", b.toString()));
        assertEquals(0, r2.code, r2::toString);
        List<String> la = withoutSeconds(a);
        List<String> lb = withoutSeconds(b);
        assertTrue(!la.isEmpty() && !la.get(0).contains("seconds"), la::toString);
        assertEquals(la, lb, "metrics with --threads 1 and --threads 2");
    }

    private static String[] concat(List<String> head, String... tail) {
        List<String> all = new java.util.ArrayList<>(head);
        all.addAll(List.of(tail));
        return all.toArray(new String[0]);
    }

    @Test
    void twoLayerMetricsAreIdenticalWithOneAndTwoThreads(@TempDir Path tmp) throws IOException {
        sameMetrics(tmp, "train", "--epochs", "2", "--train-limit", "2000");
    }

    @Test
    void cnnMetricsAreIdenticalWithOneAndTwoThreads(@TempDir Path tmp) throws IOException {
        sameMetrics(tmp, "train", "--model", "cnn", "--epochs", "2", "--train-limit", "300");
    }

    /** Trains in-process and returns every parameter's values. */
    private static Map<String, double[]> weights(String model, int threads, int limit, DType dtype) {
        Options o = Options.parse("train", new String[] {"--model", model}, TrainCommandOptions.ALL,
                ModelSpec.FLAGS);
        ModelSpec spec = ModelSpec.parse(o, ModelSpec.Purpose.TRAIN);
        Registry registry = Registry.load(Main.class.getClassLoader());
        Optimizer opt = OptimizerSpec.parse(o, spec.model).create(registry);
        Dataset data = registry.dataset("mnist", Settings.of("flatten", !spec.needsImages()));
        DataSplit train = LimitedSplit.of(data.train(), limit);
        DataSplit test = LimitedSplit.of(data.test(), 100);
        try (CpuBackend backend = new CpuBackend(threads)) {
            Network net = spec.build(registry, backend, dtype, train.sampleShape(), train.numClasses(), 0);
            Trainer.builder().epochs(2).batchSize(100).seed(0).build().fit(net, opt, train, test);
            Map<String, double[]> out = new TreeMap<>();
            for (org.nnj.api.Parameter p : net.parameters()) {
                out.put(p.name(), p.value().toDoubleArray());
            }
            for (Map.Entry<String, Tensor> e : net.state().entrySet()) {
                out.put("state " + e.getKey(), e.getValue().toDoubleArray());
            }
            return out;
        }
    }

    private static void sameWeights(String model, int limit, DType dtype) {
        Map<String, double[]> one = weights(model, 1, limit, dtype);
        Map<String, double[]> two = weights(model, 2, limit, dtype);
        assertEquals(one.keySet(), two.keySet());
        assertTrue(!one.isEmpty());
        for (String k : one.keySet()) {
            assertArrayEquals(one.get(k), two.get(k), 0.0, model + " " + dtype + " weights " + k);
        }
    }

    @Test
    void twoLayerWeightsAreBitIdentical() {
        sameWeights("two-layer", 2000, DType.FLOAT32);
        sameWeights("two-layer", 1000, DType.FLOAT64);
    }

    @Test
    void cnnWeightsAreBitIdentical() {
        sameWeights("cnn", 300, DType.FLOAT32);
    }

    /** The option names {@code train} accepts, for parsing a model spec as it does. */
    private static final class TrainCommandOptions {
        static final java.util.Set<String> ALL = TrainCommand.union(java.util.Set.of("model"), ModelSpec.OPTIONS,
                OptimizerSpec.OPTIONS);
    }
}
