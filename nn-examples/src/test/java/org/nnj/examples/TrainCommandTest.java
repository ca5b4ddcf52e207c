package org.nnj.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code nnj train}: learning on the embedded sample, the metrics file, divergence. */
class TrainCommandTest {
    private static final Pattern LINE = Pattern.compile("\\{\"epoch\":(\\d+),\"loss\":([-0-9.eE]+),\"train_acc\":"
            + "([0-9.eE-]+),\"test_acc\":([0-9.eE-]+),\"seconds\":([0-9.eE-]+)}");
    private static final Path FASHION = Path.of("/usr/share/datasets/fashion-mnist");

    @Test
    void learnsTheEmbeddedSampleAndWritesOneJsonLinePerEpoch(@TempDir Path tmp) throws IOException {
        Path metrics = tmp.resolve("metrics.jsonl");
        // 8,000 images make only 80 steps of 100 per epoch, and the book's net needs a few hundred steps to leave
        // its 0.01 initialisation behind, so this uses batches of 25 to reach a sane accuracy in one epoch.
        Cli r = Cli.run("train", "--epochs", "2", "--batch-size", "25", "--metrics", metrics.toString());
        assertEquals(0, r.code, r::toString);
        assertTrue(r.out.contains("mnist (embedded sample)") && r.out.contains("8000 training / 2000 test"), r.out);
        assertTrue(r.out.contains("epoch  1/2") && r.out.contains("epoch  2/2"), r.out);
        assertTrue(r.out.contains("final test_acc"), r.out);

        List<String> lines = Files.readAllLines(metrics);
        assertEquals(2, lines.size(), lines::toString);
        double previousLoss = Double.MAX_VALUE;
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = LINE.matcher(lines.get(i));
            assertTrue(m.matches(), "valid JSON line with epoch, loss, train_acc, test_acc, seconds: " + lines.get(i));
            assertEquals(i + 1, Integer.parseInt(m.group(1)));
            double loss = Double.parseDouble(m.group(2));
            assertTrue(loss < previousLoss, "loss falls: " + lines);
            previousLoss = loss;
            assertTrue(Double.parseDouble(m.group(5)) > 0, lines.get(i));
        }
        Matcher first = LINE.matcher(lines.get(0));
        assertTrue(first.matches());
        double testAcc = Double.parseDouble(first.group(4));
        assertTrue(testAcc > 0.8, "one epoch of the book's net reaches a sane test accuracy, got " + testAcc);
        try (Stream<Path> files = Files.list(tmp)) {
            assertEquals(List.of(metrics), files.toList(), "no temporary file left behind");
        }
    }

    @Test
    void sameSeedSameResult() {
        String a = Cli.run("train", "--epochs", "1", "--hidden", "20", "--seed", "7").out;
        String b = Cli.run("train", "--epochs", "1", "--hidden", "20", "--seed", "7").out;
        assertEquals(accuracies(a), accuracies(b));
    }

    private static String accuracies(String out) {
        return out.lines().filter(l -> l.startsWith("epoch")).map(l -> l.replaceAll("\\s+[0-9.]+ s$", "")).toList()
                .toString();
    }

    @Test
    void metricsFileSurvivesARunThatFailsBeforeTraining(@TempDir Path tmp) throws IOException {
        Path metrics = tmp.resolve("metrics.jsonl");
        Files.writeString(metrics, "keep me\n");
        Cli r = Cli.run("train", "--data-dir", tmp.resolve("missing").toString(), "--metrics", metrics.toString());
        assertEquals(2, r.code, r::toString);
        assertEquals("keep me\n", Files.readString(metrics));
    }

    @Test
    void divergedTrainingExitsOneAndLeavesTheMetricsFileAlone(@TempDir Path tmp) throws IOException {
        Path metrics = tmp.resolve("metrics.jsonl");
        Files.writeString(metrics, "keep me\n");
        Cli r = Cli.run("train", "--epochs", "2", "--lr", "1e30", "--metrics", metrics.toString());
        assertEquals(1, r.code, r::toString);
        assertEquals(1, r.errLines().size(), r::toString);
        assertTrue(r.err.contains("diverged"), r.err);
        assertEquals("keep me\n", Files.readString(metrics));
        try (Stream<Path> files = Files.list(tmp)) {
            assertEquals(List.of(metrics), files.toList(), "no temporary file left behind");
        }
    }

    @Test
    void metricsInAMissingDirectoryIsBadInput(@TempDir Path tmp) {
        Cli r = Cli.run("train", "--epochs", "1", "--metrics", tmp.resolve("no/such/dir/m.jsonl").toString());
        assertEquals(2, r.code, r::toString);
        assertEquals(1, r.errLines().size(), r::toString);
        assertTrue(r.err.contains("--metrics"), r.err);
    }

    @Test
    void customLayerTrainsByName() {
        Cli r = Cli.run("train", "--activation", "swish", "--epochs", "1", "--batch-size", "25",
                "--dtype", "float64");
        assertEquals(0, r.code, r::toString);
        assertTrue(r.out.contains("784-50-10 swish") && r.out.contains("float64"), r.out);
        assertTrue(lastTestAccuracy(r.out) > 0.7, r.out);
    }

    @Test
    void fashionMnistWhenInstalled() {
        Assumptions.assumeTrue(Files.isDirectory(FASHION), FASHION + " is absent (apt-get install -y dataset-fashion-mnist)");
        Cli r = Cli.run("train", "--data-dir", FASHION.toString(), "--epochs", "1");
        assertEquals(0, r.code, r::toString);
        assertTrue(r.out.contains("fashion-mnist") && r.out.contains("60000 training / 10000 test"), r.out);
        assertTrue(lastTestAccuracy(r.out) > 0.75, r.out);
    }

    @Test
    void withoutDownloadAMissingDirectoryIsRefusedAndDownloadIsNotARunSetting(@TempDir Path tmp) {
        Cli r = Cli.run("train", "--data-dir", tmp.resolve("absent").toString(), "--epochs", "1");
        assertEquals(2, r.code, r::toString);
        assertTrue(r.err.contains("--data-dir " + tmp.resolve("absent") + ": expected a directory"), r.err);
        Cli resumed = Cli.run("train", "--resume", tmp.toString(), "--download");
        assertEquals(2, resumed.code, resumed::toString);
        assertTrue(resumed.err.contains("option --download cannot be given with --resume"), resumed.err);
    }

    private static double lastTestAccuracy(String out) {
        Matcher m = Pattern.compile("final test_acc ([0-9.]+)").matcher(out);
        assertTrue(m.find(), out);
        return Double.parseDouble(m.group(1));
    }

    @Test
    void aDownloadWithoutDataDirRecordsTheDirectoryTheFilesWentTo() {
        Path home = Path.of(System.getProperty("user.home"));
        assertEquals(home.resolve(".nnj/datasets/fashion-mnist"),
                TrainCommand.recordedDir("fashion-mnist", null, true));
        assertEquals(home.resolve(".nnj/datasets/mnist"), TrainCommand.recordedDir("mnist", null, true));
        assertEquals(Path.of("/data/f"), TrainCommand.recordedDir("fashion-mnist", Path.of("/data/f"), true));
        assertNull(TrainCommand.recordedDir("mnist", null, false)); // the embedded sample: no directory
    }

    @Test
    void aHugeButFiniteLossIsPrintedWithAnExponentNotThirtyDigits() {
        assertEquals("0.1234", TrainCommand.loss(0.12341));
        assertEquals("999999.0000", TrainCommand.loss(999_999));
        assertEquals("1.3809e+25", TrainCommand.loss(13809016947007051000000000.0));
        assertEquals("NaN", TrainCommand.loss(Double.NaN));
    }
}
