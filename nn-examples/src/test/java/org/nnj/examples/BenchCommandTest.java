package org.nnj.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code nnj bench}: its output lines and its arithmetic; no test asserts a time. */
class BenchCommandTest {
    private static final Pattern SPE = Pattern.compile("(?m)^seconds_per_epoch=([0-9.]+)$");
    private static final Pattern GFLOPS = Pattern.compile("(?m)^gflops=([0-9.]+)$");

    @Test
    void twoLayerPrintsEpochsAndTheMedian() {
        Cli r = Cli.run("bench", "--epochs", "3", "--train-limit", "1000");
        assertEquals(0, r.code, r::toString);
        assertTrue(r.out.contains("1000 training images") && r.out.contains("backend cpu"), r.out);
        assertTrue(r.out.contains("epoch 1 seconds") && r.out.contains("epoch 3 seconds"), r.out);
        Matcher m = SPE.matcher(r.out);
        assertTrue(m.find(), r.out);
        assertTrue(Double.parseDouble(m.group(1)) > 0, r.out);
        assertTrue(!GFLOPS.matcher(r.out).find(), "gflops only for wide-mlp: " + r.out);
        assertTrue(!r.out.contains("note="), "three epochs: the median excludes the warm-up, no note: " + r.out);
    }

    @Test
    void wideMlpAlsoPrintsGflops() {
        Cli r = Cli.run("bench", "--model", "wide-mlp", "--epochs", "2", "--train-limit", "600", "--threads", "1");
        assertEquals(0, r.code, r::toString);
        assertTrue(r.out.contains("784-1024-1024-10") && r.out.contains("batch 256"), r.out);
        Matcher m = GFLOPS.matcher(r.out);
        assertTrue(m.find(), r.out);
        assertTrue(Double.parseDouble(m.group(1)) > 0, r.out);
    }

    @Test
    void cnnAndFloat64Run() {
        Cli r = Cli.run("bench", "--model", "cnn", "--epochs", "1", "--train-limit", "200", "--dtype", "float64");
        assertEquals(0, r.code, r::toString);
        assertTrue(r.out.contains("cnn") && r.out.contains("float64") && SPE.matcher(r.out).find(), r.out);
        // one epoch: the figure is that epoch's, warm-up included, and the last line says so
        List<String> lines = r.out.lines().toList();
        assertTrue(lines.get(lines.size() - 2).startsWith("seconds_per_epoch="), r.out);
        assertEquals("note=one epoch only: seconds_per_epoch is that epoch's time, which includes the JIT warm-up; "
                + "--epochs 2 or more gives the median of the epochs after the first", lines.get(lines.size() - 1));
        assertTrue(r.err.isEmpty(), r::toString);
        String usage = new BenchCommand().usage();
        assertTrue(usage.contains("With --epochs 1 it is that\nepoch's time, JIT warm-up included"), usage);
    }

    @Test
    void openblasBackendByName() {
        Cli r = Cli.run("bench", "--epochs", "2", "--train-limit", "500", "--backend", "openblas", "--threads", "1");
        if (r.code != 0) {
            // natives unavailable here: one line naming the backend, a usage-class exit code
            assertEquals(2, r.code, r::toString);
            assertEquals(1, r.errLines().size(), r::toString);
            assertTrue(r.err.contains("openblas"), r::toString);
            return;
        }
        assertTrue(r.out.contains("backend openblas") && SPE.matcher(r.out).find(), r.out);
    }

    @Test
    void badUsageIsOneLine() {
        Cli r = Cli.run("bench", "--model", "resnet");
        assertEquals(2, r.code, r::toString);
        assertEquals(1, r.errLines().size(), r::toString);
        assertTrue(r.err.contains("wide-mlp"), r.err);
        Cli u = Cli.run("bench", "--backend", "nosuch", "--train-limit", "300", "--epochs", "1");
        assertEquals(2, u.code, u::toString);
        assertEquals(1, u.errLines().size(), u::toString);
    }

    @Test
    void medianAndMultiplyAdds() {
        assertEquals(2.0, BenchCommand.medianAfterFirst(new double[] {9, 3, 2, 1}));
        assertEquals(1.5, BenchCommand.medianAfterFirst(new double[] {9, 2, 1}));
        assertEquals(9.0, BenchCommand.medianAfterFirst(new double[] {9}));
        // 784-1024-1024-10, batch 256: forward and dW for all three, dX for the last two
        long fwd = 784L * 1024 + 1024L * 1024 + 1024L * 10;
        long expected = 256 * (2 * fwd + 1024L * 1024 + 1024L * 10);
        assertEquals(expected, BenchCommand.multiplyAdds(784, new int[] {1024, 1024}, 10, 256));
        assertEquals(2 * 3 * 4 * 5, BenchCommand.multiplyAdds(4, new int[0], 5, 3));
    }
}
