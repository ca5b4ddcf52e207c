package org.nnj.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nnj.api.Backend;
import org.nnj.api.DType;
import org.nnj.api.Settings;
import org.nnj.api.Shape;
import org.nnj.core.Network;
import org.nnj.core.Registry;
import org.nnj.core.Summary;
import org.nnj.core.io.ModelStore;
import org.nnj.core.io.NetworkSpec;

/**
 * {@link Network#summary()} and {@code nnj summary}: the book's totals (two-layer 784-50-10: 784·50 + 50 + 50·10 + 10
 * = 39,760; SimpleConvNet: 30·25 + 30 + 4320·100 + 100 + 100·10 + 10 = 433,890), provider names as types, per-sample
 * output shapes, BatchNorm's running statistics counted apart.
 */
class SummaryCommandTest {
    private final Registry registry = Registry.load(Main.class.getClassLoader());
    private final Backend cpu = registry.backend("cpu", Settings.of("threads", 1));

    @Test
    void theBooksTwoLayerNetHas39760Parameters() {
        Network net = TwoLayerNet.build(registry, cpu, DType.FLOAT32, Shape.of(784), 50, "relu", 10, 0.01, 0);
        Summary s = net.summary();
        assertEquals(39_760, s.totalParameters());
        assertEquals(0, s.totalState());
        assertEquals(List.of(
                new Summary.Row("Affine1", "affine", Shape.of(50), 39_250, 0),
                new Summary.Row("Relu1", "relu", Shape.of(50), 0, 0),
                new Summary.Row("Affine2", "affine", Shape.of(10), 510, 0)), s.layers());
        assertEquals(String.join("\n",
                "layer    type    output shape  parameters",
                "(input)          (784)",
                "Affine1  affine  (50)              39,250",
                "Relu1    relu    (50)                   0",
                "Affine2  affine  (10)                 510",
                "loss     softmax-cross-entropy",
                "total parameters: 39,760 (155.3 KiB as float32)",
                ""), s.toString());
    }

    @Test
    void simpleConvNetHas433890Parameters() {
        Cli r = Cli.run("summary", "--model", "cnn");
        assertEquals(0, r.code, r::toString);
        assertEquals(String.join("\n",
                "cnn (1, 28, 28) conv 30x5x5 - relu - maxpool 2 - affine 100 - relu - affine 10, he init",
                "layer       type       output shape  parameters",
                "(input)                (1, 28, 28)",
                "Conv2d1     conv2d     (30, 24, 24)         780",
                "Relu1       relu       (30, 24, 24)           0",
                "MaxPool2d1  maxpool2d  (30, 12, 12)           0",
                "Affine1     affine     (100)            432,100",
                "Relu2       relu       (100)                  0",
                "Affine2     affine     (10)               1,010",
                "loss        softmax-cross-entropy",
                "total parameters: 433,890 (1.7 MiB as float32)",
                ""), r.out);
    }

    @Test
    void builtInNetsTakeTrainsModelOptions() {
        Cli r = Cli.run("summary", "--model", "mlp", "--hidden", "20,10", "--batchnorm", "--dtype", "float64");
        assertEquals(0, r.code, r::toString);
        // 784·20 + 20, 2·20 (gamma, beta) + 2·20 state, 20·10 + 10, 2·10 + 2·10 state, 10·10 + 10
        long params = 784 * 20 + 20 + 40 + 20 * 10 + 10 + 20 + 10 * 10 + 10;
        assertTrue(r.out.contains(String.format(java.util.Locale.ROOT,
                "total parameters: %,d + 60 non-trainable state values", params)), r.out);
        assertTrue(r.out.lines().anyMatch(l -> l.matches("BatchNorm1\\s+batchnorm\\s+\\(20\\)\\s+40 \\+ 40 state")),
                r.out);
        assertTrue(r.out.contains("as float64"), r.out);
    }

    @Test
    void aSavedModelAndASpecFileShowTheSameTable(@TempDir Path tmp) {
        Network net = TwoLayerNet.build(registry, cpu, DType.FLOAT32, Shape.of(784), 50, "sigmoid", 10, 0.01, 0);
        ModelStore.save(net, tmp.resolve("model"));
        Cli saved = Cli.run("summary", "--model", tmp.resolve("model").toString());
        assertEquals(0, saved.code, saved::toString);
        assertEquals(tmp.resolve("model") + "\n" + net.summary(), saved.out);
        assertTrue(saved.out.contains("Sigmoid1  sigmoid"), saved.out);

        Path spec = tmp.resolve("net.json");
        net.spec().orElseThrow().write(spec);
        Cli fromSpec = Cli.run("summary", "--spec", spec.toString());
        assertEquals(0, fromSpec.code, fromSpec::toString);
        assertEquals(spec + "\n" + net.summary(), fromSpec.out);
        assertEquals(net.summary(), NetworkSpec.read(spec).build(registry, cpu, 7).summary());
    }

    @Test
    void aSpecWithAnUnknownLayerIsRefusedNamingTheFileANearNameAndNnjClasspath(@TempDir Path tmp)
            throws java.io.IOException {
        Path spec = tmp.resolve("net.json");
        java.nio.file.Files.writeString(spec, "{\"format\": \"nnj-network\", \"version\": 1, \"input_shape\": [784], "
                + "\"layers\": [{\"provider\": \"affine\", \"settings\": {\"units\": 50}}, {\"provider\": \"relux\"}, "
                + "{\"provider\": \"leakyrelu\"}], \"loss\": {\"provider\": \"softmax-cross-entropy\"}}");
        Cli r = Cli.run("summary", "--spec", spec.toString());
        assertEquals(2, r.code, r::toString);
        assertEquals(1, r.errLines().size(), r::toString);
        String e = r.errLines().get(0);
        assertTrue(e.startsWith("nnj summary: " + spec + ": layer 2 (relux) on input (50): unknown layer 'relux' "
                + "(did you mean relu?); known layers: affine, "), e);
        assertTrue(e.endsWith("; a plugin layer needs its jar on the class path (NNJ_CLASSPATH=your-plugin.jar "
                + "./nnj ...)"), e);

        java.nio.file.Files.writeString(spec, java.nio.file.Files.readString(spec).replace("relux", "relu"));
        Cli leaky = Cli.run("summary", "--spec", spec.toString());
        assertTrue(leaky.err.contains("layer 3 (leakyrelu) on input (50): unknown layer 'leakyrelu' (did you mean "
                + "leaky-relu?)"), leaky::toString);
    }

    @Test
    void aLayerWhoseWeightsDoNotFitTheHeapIsRefusedNamingTheFileAndTheLayer(@TempDir Path tmp)
            throws java.io.IOException {
        // 1000 x 2,000,000 weights: 2e9 values, 16 GB as the doubles they are drawn into, 8 GB as float32
        long maxMb = Runtime.getRuntime().maxMemory() / (1 << 20);
        org.junit.jupiter.api.Assumptions.assumeTrue(maxMb < 8_000, "the test JVM's heap holds the layer");
        Path spec = tmp.resolve("huge.json");
        java.nio.file.Files.writeString(spec, "{\"format\": \"nnj-network\", \"version\": 1, \"input_shape\": [1000], "
                + "\"layers\": [{\"provider\": \"affine\", \"settings\": {\"units\": 2000000}}, "
                + "{\"provider\": \"affine\", \"settings\": {\"units\": 10}}], "
                + "\"loss\": {\"provider\": \"softmax-cross-entropy\"}}");
        Cli r = Cli.run("summary", "--spec", spec.toString());
        assertEquals(2, r.code, r::toString);
        assertEquals(List.of("nnj summary: " + spec + ": layer 1 (affine) on input (1000): its weights do not fit in "
                + "the Java heap (at most " + maxMb + " MB); make the layer smaller or give the JVM more memory (-Xmx, "
                + "e.g. JAVA_OPTS=-Xmx8g ./nnj ...)"), r.errLines());
    }

    @Test
    void badUsageIsOneLine(@TempDir Path tmp) {
        Cli neither = Cli.run("summary");
        assertEquals(2, neither.code);
        assertTrue(neither.err.startsWith("nnj summary: give either --model DIR|two-layer|mlp|cnn or --spec FILE"),
                neither::toString);
        Cli foreign = Cli.run("summary", "--model", tmp.toString(), "--hidden", "10");
        assertEquals(2, foreign.code);
        assertTrue(foreign.err.startsWith("nnj summary: option --hidden applies to the built-in nets"),
                foreign::toString);
        Cli noSpec = Cli.run("summary", "--spec", tmp.resolve("net.json").toString());
        assertEquals(2, noSpec.code);
        assertEquals(List.of("nnj summary: --spec " + tmp.resolve("net.json") + ": expected a network spec file (JSON),"
                + " found nothing"), noSpec.errLines());
        Cli unknown = Cli.run("summary", "--model", tmp.resolve("nothing").toString());
        assertEquals(2, unknown.code);
        assertEquals(List.of("nnj summary: --model " + tmp.resolve("nothing") + ": expected a model directory (written "
                + "by train --save) or one of two-layer, mlp, cnn, found neither"), unknown.errLines());
    }
}
