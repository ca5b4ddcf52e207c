package org.nnj.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ctrl-C in the middle of {@code train --save DIR} says what was kept and how to go on, and that advice works. */
class InterruptedRunTest {

    @Test
    void ctrlCNamesTheCheckpointKeptAndResumingFromItWorks(@TempDir Path tmp) throws Exception {
        Assumptions.assumeTrue(System.getProperty("os.name").startsWith("Linux"), "signals by kill(1)");
        Path run = tmp.resolve("run");
        Path err = tmp.resolve("err.txt");
        int code = trainAndInterrupt(tmp, () -> Files.exists(RunDir.checkpoint(run)), "a checkpoint", 200,
                "--epochs", "100000", "--hidden", "10", "--train-limit", "200", "--batch-size", "20", "--quiet",
                "--save", run.toString());
        assertTrue(code != 0, "an interrupted run does not exit 0");
        List<String> lines = read(err).lines().toList();
        assertEquals(1, lines.size(), () -> "one line on stderr: " + read(err));
        Matcher m = Pattern.compile("nnj train: interrupted; " + Pattern.quote(RunDir.checkpoint(run).toString())
                + " holds the checkpoint of epoch (\\d+): ./nnj train --resume " + Pattern.quote(run.toString())
                + " continues from there").matcher(lines.get(0));
        assertTrue(m.matches(), lines.get(0));
        int epoch = Integer.parseInt(m.group(1));
        assertTrue(epoch >= 1, lines.get(0));

        Cli resumed = Cli.run("train", "--resume", run.toString(), "--epochs", Integer.toString(epoch + 1));
        assertEquals(0, resumed.code, resumed::toString);
        assertTrue(resumed.out.contains("after epoch " + epoch + ":"), "resumed after the epoch named: " + resumed.out);
    }

    @Test
    void ctrlCBeforeTheFirstEpochEndsRemovesTheDirectoriesTheRunMade(@TempDir Path tmp) throws Exception {
        Assumptions.assumeTrue(System.getProperty("os.name").startsWith("Linux"), "signals by kill(1)");
        Path run = tmp.resolve("new").resolve("run");
        Path err = tmp.resolve("err.txt");
        Path out = tmp.resolve("out.txt");
        // the CNN one image at a time: its first epoch takes many seconds; the header says training starts now
        trainAndInterrupt(tmp, () -> read(out).startsWith("train "), "a header", 300,
                "--model", "cnn", "--batch-size", "1", "--epochs", "3", "--save", run.toString());
        Assumptions.assumeFalse(read(out).contains("epoch  1/3"), "the first epoch ended before the signal");
        assertEquals(List.of("nnj train: interrupted before an epoch of this run finished; nothing of it is saved in "
                + run), read(err).lines().toList());
        assertFalse(Files.exists(tmp.resolve("new")), "the directories it made for --save are gone");
    }

    @Test
    void theResumeCommandQuotesADirectoryThatTheShellWouldSplit() {
        assertEquals("interrupted; runs/it's mine/checkpoint holds the checkpoint of epoch 2: ./nnj train --resume "
                + "'runs/it'\\''s mine' continues from there",
                TrainCommand.interruptedMessage(Path.of("runs/it's mine"), 2));
        assertEquals("runs/a-1.b", TrainCommand.shellWord("runs/a-1.b"));
    }

    @Test
    void beforeTheFirstEpochItSaysNothingIsSaved() {
        assertEquals("interrupted before an epoch of this run finished; nothing of it is saved in runs/a",
                TrainCommand.interruptedMessage(Path.of("runs/a"), 0));
    }

    /**
     * Runs {@code nnj train ARGS} in a fresh JVM (stdout to {@code tmp/out.txt}, stderr to {@code tmp/err.txt}), waits
     * until {@code ready} holds, lets it go on for {@code settleMillis}, sends SIGINT and waits for it to end.
     *
     * @return its exit code
     */
    private static int trainAndInterrupt(Path tmp, BooleanSupplier ready, String what, long settleMillis,
                                         String... args) throws Exception {
        Path err = tmp.resolve("err.txt");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "train"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).redirectOutput(tmp.resolve("out.txt").toFile())
                .start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!ready.getAsBoolean()) {
                assertTrue(p.isAlive(), () -> "the run ended early: " + read(err));
                assertTrue(System.nanoTime() < deadline, "no " + what + " within 60 s");
                Thread.sleep(20);
            }
            Thread.sleep(settleMillis);
            assertEquals(0, new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor());
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the run did not stop on SIGINT");
            return p.exitValue();
        } finally {
            p.destroyForcibly().waitFor();
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            return "(unreadable: " + e + ")";
        }
    }
}
