package org.nnj.examples;

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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code train --model mlp|cnn}, {@code gradcheck --model mlp|cnn}, {@code compare-optimizers}, bad names. */
class ModelCommandsTest {

    private static double finalTestAccuracy(Cli r) {
        Matcher m = Pattern.compile("final test_acc ([0-9.]+)").matcher(r.out);
        assertTrue(m.find(), r::toString);
        return Double.parseDouble(m.group(1));
    }

    @Test
    void theIssuesMlpCommandTrains() {
        Cli r = Cli.run("train", "--model", "mlp", "--hidden", "100,100,100", "--activation", "relu", "--init", "he",
                "--optimizer", "adam", "--lr", "0.001", "--weight-decay", "1e-4", "--batchnorm", "--dropout", "0.2",
                "--epochs", "1", "--train-limit", "3000", "--batch-size", "50");
        assertEquals(0, r.code, r::toString);
        assertTrue(r.out.contains("mlp 784-100-100-100-10 relu batchnorm dropout 0.2, he init"), r.out);
        assertTrue(r.out.contains("adam lr 0.001 weight_decay") && r.out.contains("3000 training"), r.out);
        assertTrue(finalTestAccuracy(r) > 0.8, "far above chance (0.1): " + r.out);
    }

    @Test
    void cnnLearnsFromAThousandImagesInOneEpoch() {
        Cli r = Cli.run("train", "--model", "cnn", "--epochs", "1", "--train-limit", "1000", "--batch-size", "50");
        assertEquals(0, r.code, r::toString);
        assertTrue(r.out.contains("cnn (1, 28, 28) conv 30x5x5") && r.out.contains("1000 training / 2000 test"),
                r.out);
        assertTrue(r.out.contains("adam lr 0.001"), r.out);
        assertTrue(finalTestAccuracy(r) > 0.75, r.out);
    }

    @Test
    void scheduleSetsTheRateOfEachEpoch() {
        Cli r = Cli.run("train", "--model", "mlp", "--hidden", "20", "--optimizer", "sgd", "--lr", "0.2",
                "--schedule", "step", "--step-size", "1", "--gamma", "0.5", "--epochs", "3", "--train-limit", "500");
        assertEquals(0, r.code, r::toString);
        assertTrue(r.out.contains("sgd lr 0.2, step schedule"), r.out);
        List<String> rates = r.out.lines().filter(l -> l.startsWith("epoch"))
                .map(l -> l.replaceAll(".*  lr ", "")).toList();
        assertEquals(List.of("0.200000", "0.100000", "0.0500000"), rates, r.out);
    }

    @Test
    void cosineRunsOverTheEpochs() {
        Cli r = Cli.run("train", "--model", "mlp", "--hidden", "20", "--schedule", "cosine", "--min-lr", "0.0001",
                "--epochs", "2", "--train-limit", "500");
        assertEquals(0, r.code, r::toString);
        assertTrue(r.out.contains("epoch  2/2") && r.out.contains("lr 0.00100000"), r.out);
    }

    @Test
    void gradcheckMlpIncludesBatchnormAndFrozenDropout() {
        Cli r = Cli.run("gradcheck", "--model", "mlp");
        assertEquals(0, r.code, r::toString);
        for (String p : new String[] {"Affine1.W", "BatchNorm1.gamma", "BatchNorm1.beta", "BatchNorm2.gamma",
                "Affine3.b"}) {
            assertTrue(Pattern.compile("(?m)^" + Pattern.quote(p) + "\\s").matcher(r.out).find(), p + " in " + r.out);
        }
        assertTrue(r.out.contains("2 dropout layer(s): mask drawn on the first forward, then frozen"), r.out);
        assertTrue(r.out.contains("PASS"), r.out);
    }

    @Test
    void gradcheckCnnChecksASmallVariant() {
        Cli r = Cli.run("gradcheck", "--model", "cnn");
        assertEquals(0, r.code, r::toString);
        assertTrue(r.out.contains("small variant (--filters 4 --hidden 10)"), r.out);
        for (String p : new String[] {"Conv2d1.W", "Conv2d1.b", "Affine1.W", "Affine2.b"}) {
            assertTrue(Pattern.compile("(?m)^" + Pattern.quote(p) + "\\s").matcher(r.out).find(), p + " in " + r.out);
        }
        assertTrue(r.out.contains("PASS"), r.out);
    }

    @Test
    void compareOptimizersWritesOneColumnPerOptimizer(@TempDir Path tmp) throws IOException {
        Path csv = tmp.resolve("opt.csv");
        Cli r = Cli.run("compare-optimizers", "--iterations", "30", "--hidden", "20,20", "--batch-size", "32",
                "--out", csv.toString());
        assertEquals(0, r.code, r::toString);
        List<String> lines = Files.readAllLines(csv);
        assertEquals("iteration,sgd,momentum,nesterov,adagrad,rmsprop,adam,adamw", lines.get(0));
        assertEquals(31, lines.size());
        assertTrue(lines.get(1).startsWith("1,") && lines.get(30).startsWith("30,"), lines::toString);
        String[] first = lines.get(1).split(",");
        for (int k = 2; k < first.length; k++) {
            assertEquals(first[1], first[k], "same initial weights and batch, same first loss: " + lines.get(1));
        }
        for (String opt : new String[] {"sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw"}) {
            assertTrue(Pattern.compile("(?m)^" + opt + "\\s+[0-9.]+\\s+[0-9.]+\\s+[0-9.]+").matcher(r.out).find(),
                    opt + " row in " + r.out);
        }
        assertTrue(r.out.contains("mean of last 30"), r.out);
        try (Stream<Path> files = Files.list(tmp)) {
            assertEquals(List.of(csv), files.toList(), "no temporary file left behind");
        }
    }

    @Test
    void compareOptimizersSubsetAndTheBooksCurveShape(@TempDir Path tmp) throws IOException {
        Path csv = tmp.resolve("opt.csv");
        Cli r = Cli.run("compare-optimizers", "--optimizers", "sgd,adam", "--iterations", "200", "--hidden", "50,50",
                "--out", csv.toString());
        assertEquals(0, r.code, r::toString);
        List<String> lines = Files.readAllLines(csv);
        assertEquals("iteration,sgd,adam", lines.get(0));
        assertEquals(201, lines.size());
        double sgd = 0;
        double adam = 0;
        for (String l : lines.subList(101, 201)) {
            String[] f = l.split(",");
            sgd += Double.parseDouble(f[1]);
            adam += Double.parseDouble(f[2]);
        }
        assertTrue(adam < sgd, "as in the book, Adam is ahead of plain SGD early on: " + r.out);
    }

    @Test
    void compareOptimizersLeavesTheCsvAloneOnBadInput(@TempDir Path tmp) throws IOException {
        Path csv = tmp.resolve("opt.csv");
        Files.writeString(csv, "keep me\n");
        Cli r = Cli.run("compare-optimizers", "--optimizers", "sgd,foo", "--out", csv.toString());
        assertEquals(2, r.code, r::toString);
        assertEquals(1, r.errLines().size(), r::toString);
        assertTrue(r.err.contains("unknown optimizer 'foo'") && r.err.contains("adam"), r.err);
        assertEquals("keep me\n", Files.readString(csv));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "train --model foo|known models: two-layer, mlp, cnn",
        "train --model mlp --optimizer foo|known optimizers: adagrad, adam, adamw, momentum, nesterov, rmsprop, sgd",
        "train --model mlp --init foo|known: normal, he, xavier",
        "train --model mlp --activation foo|known layers:",
        "train --model mlp --schedule foo|known: constant, step, cosine",
        "train --schedule step|--step-size",
        "train --gamma 0.5|need --schedule",
        "train --batchnorm|does not apply to --model two-layer",
        "train --model mlp --batchnorm=maybe|is a flag",
        "train --model cnn --hidden 10,10|one hidden affine layer",
        "gradcheck --model foo|known models: two-layer, mlp, cnn",
        "compare-optimizers --init foo|known: normal, he, xavier",
        "compare-optimizers --iterations 0|--iterations"})
    void badNamesExitTwoWithOneLine(String line) {
        String[] parts = line.split("\\|");
        Cli r = Cli.run(parts[0].split(" "));
        assertEquals(2, r.code, r::toString);
        assertEquals(1, r.errLines().size(), r::toString);
        assertTrue(r.err.contains(parts[1]), parts[1] + " in " + r.err);
    }
}
