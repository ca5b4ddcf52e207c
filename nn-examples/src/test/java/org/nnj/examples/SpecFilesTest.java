package org.nnj.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nnj.core.io.NetworkSpec;

/** {@code train --spec}: the example specs in {@code specs/} train as they are; bad specs fail before training. */
class SpecFilesTest {
    /** specs/ at the repository root (tests run in nn-examples). */
    private static final Path SPECS = Path.of("..", "specs").toAbsolutePath().normalize();

    private static double finalTestAccuracy(Cli r) {
        Matcher m = Pattern.compile("final test_acc ([0-9.]+)").matcher(r.out);
        assertTrue(m.find(), r::toString);
        return Double.parseDouble(m.group(1));
    }

    private static Path spec(String name) {
        Path p = SPECS.resolve(name);
        assertTrue(Files.isRegularFile(p), p + " is missing");
        return p;
    }

    @Test
    void theFolderHoldsTheThreeExamples() throws IOException {
        try (Stream<Path> s = Files.list(SPECS)) {
            assertEquals(List.of("cnn.json", "swish-mlp.json", "two-layer.json"),
                    s.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void theTwoLayerSpecIsTheDefaultNetBitForBit() {
        Cli spec = Cli.run("train", "--spec", spec("two-layer.json").toString(), "--epochs", "2", "--train-limit",
                "4000", "--batch-size", "25");
        Cli plain = Cli.run("train", "--epochs", "2", "--train-limit", "4000", "--batch-size", "25");
        assertEquals(0, spec.code, spec::toString);
        assertEquals(0, plain.code, plain::toString);
        assertTrue(spec.out.contains("two-layer.json [(784) affine 50, relu, affine 10; softmax-cross-entropy]"),
                spec.out);
        assertTrue(spec.out.contains("sgd lr 0.1, batch 25, 2 epochs, seed 0"), spec.out);
        assertEquals(epochLines(plain), epochLines(spec));
        assertTrue(finalTestAccuracy(spec) > 0.8, spec.out);
    }

    private static List<String> epochLines(Cli r) {
        return r.out.lines().filter(l -> l.startsWith("epoch")).map(l -> l.replaceAll("\\s+[0-9.]+ s$", "")).toList();
    }

    @Test
    void theHeaderShowsARectangularKernelAsHeightByWidth() {
        String json = """
                {"format": "nnj-network", "version": 1, "input_shape": [1, 12, 12], "dtype": "float32",
                 "layers": [{"provider": "conv2d", "settings": {"filters": 6, "kernel": "3x5"}},
                            {"provider": "conv2d", "settings": {"filters": 4, "kernel": 3}},
                            {"provider": "flatten"}, {"provider": "affine", "settings": {"units": 10}}],
                 "loss": {"provider": "softmax-cross-entropy"}}""";
        NetworkSpec spec = NetworkSpec.fromJson(json, "test");
        assertEquals("(1, 12, 12) conv2d 6x3x5, conv2d 4x3x3, flatten, affine 10; softmax-cross-entropy",
                SpecFile.describe(spec));
    }

    @Test
    void theCnnSpecLearns() {
        Cli r = Cli.run("train", "--spec", spec("cnn.json").toString(), "--epochs", "1", "--train-limit", "1000",
                "--batch-size", "50");
        assertEquals(0, r.code, r::toString);
        assertTrue(r.out.contains("(1, 28, 28) conv2d 30x5x5, relu, maxpool2d, affine 100, relu, affine 10"),
                r.out);
        assertTrue(r.out.contains("adam lr 0.001"), r.out);
        assertTrue(finalTestAccuracy(r) > 0.75, r.out);
    }

    @Test
    void theSwishSpecTrainsThePluginLayerByName() {
        Cli r = Cli.run("train", "--spec", spec("swish-mlp.json").toString(), "--epochs", "1", "--train-limit",
                "2000", "--batch-size", "25");
        assertEquals(0, r.code, r::toString);
        assertTrue(r.out.contains("affine 100, swish, affine 100, swish, affine 10"), r.out);
        assertTrue(r.out.contains("cosine schedule min_lr 0.0001"), r.out);
        assertTrue(finalTestAccuracy(r) > 0.8, r.out);
    }

    @Test
    void aSpecRunSavesAndResumesLikeAnyOtherAndItsNetworkJsonIsASpec(@TempDir Path tmp) throws IOException {
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        String s = spec("two-layer.json").toString();
        assertEquals(0, Cli.run("train", "--spec", s, "--epochs", "1", "--train-limit", "600", "--save",
                a.toString()).code);
        Cli resumed = Cli.run("train", "--resume", a.toString(), "--epochs", "2");
        assertEquals(0, resumed.code, resumed::toString);
        assertTrue(resumed.out.contains("two-layer.json [(784) affine 50"), resumed.out);
        assertEquals(0, Cli.run("train", "--spec", s, "--epochs", "2", "--train-limit", "600", "--save",
                b.toString()).code);
        assertArrayEquals(Files.readAllBytes(b.resolve("weights.safetensors")),
                Files.readAllBytes(a.resolve("weights.safetensors")));

        // the saved network.json records the optimizer and the training, and trains as a spec
        Cli again = Cli.run("train", "--spec", a.resolve("network.json").toString(), "--train-limit", "600");
        assertEquals(0, again.code, again::toString);
        assertTrue(again.out.contains("sgd lr 0.1, batch 100, 2 epochs, seed 0"), again.out);
        assertEquals(epochLines(resumed).get(1), epochLines(again).get(1));
    }

    private static Path write(Path dir, String name, String layers, String inputShape) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, "{\"format\": \"nnj-network\", \"version\": 1, \"input_shape\": " + inputShape + ", "
                + "\"layers\": [" + layers + "], \"loss\": {\"provider\": \"softmax-cross-entropy\"}}");
        return f;
    }

    private static String rejected(Path spec, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("train", "--spec", spec.toString()));
        args.addAll(List.of(more));
        Cli r = Cli.run(args.toArray(new String[0]));
        assertEquals(2, r.code, r::toString);
        assertEquals(1, r.errLines().size(), r::toString);
        assertTrue(!r.out.contains("epoch"), "rejected before training: " + r.out);
        return r.errLines().get(0);
    }

    @Test
    void anUnknownLayerIsRejectedNamingIt(@TempDir Path tmp) throws IOException {
        Path f = write(tmp, "unknown.json", "{\"provider\": \"affine\", \"settings\": {\"units\": 50}}, "
                + "{\"provider\": \"swizzle\"}", "[784]");
        String e = rejected(f);
        assertTrue(e.startsWith("nnj train: " + f + ": layer 2 (swizzle) on input (50): "), e);
        assertTrue(e.contains("swizzle") && e.contains("swish"), "lists the known layers: " + e);
    }

    @Test
    void layersThatDoNotFitAreRejectedNamingTheLayerAndBothShapes(@TempDir Path tmp) throws IOException {
        Path conv = write(tmp, "conv.json", "{\"provider\": \"affine\", \"settings\": {\"units\": 50}}, "
                + "{\"provider\": \"conv2d\", \"settings\": {\"filters\": 4, \"kernel\": 3}}", "[784]");
        String e = rejected(conv);
        assertTrue(e.startsWith("nnj train: " + conv + ": layer 2 (conv2d) on input (50): "), e);

        Path classes = write(tmp, "classes.json", "{\"provider\": \"affine\", \"settings\": {\"units\": 12}}", "[784]");
        assertEquals("nnj train: " + classes + ": layer 1 'Affine1' (affine) gives (12) per sample, but the loss "
                + "needs (10): one score per class of mnist (embedded sample)", rejected(classes));

        Path input = write(tmp, "input.json", "{\"provider\": \"affine\", \"settings\": {\"units\": 10}}", "[3, 32, 32]");
        assertEquals("nnj train: " + input + ": \"input_shape\" (3, 32, 32) does not fit the samples of mnist "
                + "(embedded sample), which are (1, 28, 28) (write [784] for flat vectors)", rejected(input));
    }

    @Test
    void aLossThatWantsTargetsShapedLikeTheScoresIsRejectedBeforeTraining(@TempDir Path tmp) throws IOException {
        for (String loss : List.of("squared-error", "sigmoid-binary-cross-entropy")) {
            Path f = tmp.resolve(loss + ".json");
            Files.writeString(f, Files.readString(spec("two-layer.json")).replace("softmax-cross-entropy", loss));
            assertEquals("nnj train: " + f + ": loss " + loss + " needs targets shaped like the scores (n, 10), but "
                    + "mnist (embedded sample) gives class indices (n); for class labels use the loss "
                    + "softmax-cross-entropy", rejected(f, "--train-limit", "200"));
        }
    }

    @Test
    void everyTrainingSettingIsOptional(@TempDir Path tmp) throws IOException {
        Path f = tmp.resolve("epochs-only.json");
        Files.writeString(f, Files.readString(spec("two-layer.json")).replace(
                "\"training\": {\"epochs\": 17, \"batch_size\": 100, \"seed\": 0}", "\"training\": {\"epochs\": 1}"));
        assertTrue(Files.readString(f).contains("{\"epochs\": 1}"), Files.readString(f));
        Cli r = Cli.run("train", "--spec", f.toString(), "--train-limit", "300");
        assertEquals(0, r.code, r::toString);
        assertTrue(Pattern.compile("sgd lr 0\\.1, batch 100, 1 epochs?, seed 0").matcher(r.out).find(), r.out);
    }

    @Test
    void malformedSpecsAndModelOptionsAreOneLineErrors(@TempDir Path tmp) throws IOException {
        Path bad = tmp.resolve("bad.json");
        Files.writeString(bad, "{\"format\": \"nnj-network\", \"version\": 7}");
        assertTrue(rejected(bad).contains("unsupported nnj-network version 7"));
        assertTrue(rejected(tmp.resolve("none.json")).contains("expected a network spec file (JSON), found nothing"));
        String e = rejected(spec("two-layer.json"), "--hidden", "20");
        assertEquals("nnj train: option --hidden does not apply to --spec: the spec file describes the network "
                + "(see ./nnj help train)", e);
        Path sched = tmp.resolve("sched.json");
        Files.writeString(sched, Files.readString(spec("two-layer.json")).replace("\"seed\": 0}",
                "\"seed\": 0, \"schedule\": {\"name\": \"wavy\"}}"));
        assertTrue(rejected(sched).startsWith("nnj train: " + sched + ": training.schedule wavy: unknown "
                + "learning-rate schedule 'wavy'"), rejected(sched));
    }
}
