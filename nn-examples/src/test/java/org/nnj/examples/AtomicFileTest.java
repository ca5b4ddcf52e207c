package org.nnj.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The temporary files behind nnj's outputs ({@code --metrics}, {@code --out}, {@code --plot}) never outlive their
 * process: a signal's shutdown hook deletes them, and those of a process killed outright are deleted by the next
 * write of the same file; an unwritable place is refused before any work, naming the option and not the temporary
 * file.
 */
class AtomicFileTest {

    private static List<String> namesIn(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aTemporaryFileOfAProcessThatHasEndedIsDeletedByTheNextWriteAndOthersAreLeftAlone(@TempDir Path tmp)
            throws Exception {
        Process ended = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-version").redirectErrorStream(true).start();
        ended.getInputStream().readAllBytes();
        assertEquals(0, ended.waitFor());
        Assumptions.assumeTrue(ProcessHandle.of(ended.pid()).isEmpty(), "the pid was reused at once");
        long self = ProcessHandle.current().pid();
        Path orphan = Files.writeString(tmp.resolve(".m.jsonl." + ended.pid() + ".1ud5qjw7e1guk.tmp"), "epoch 1");
        Path running = Files.writeString(tmp.resolve(".m.jsonl." + self + ".36s17ut56xuic.tmp"), "epoch 1");
        Path otherFile = Files.writeString(tmp.resolve(".other.jsonl." + ended.pid() + ".abc.tmp"), "x");
        Path notOurs = Files.writeString(tmp.resolve(".m.jsonl.backup.tmp"), "x");

        AtomicFile.write(tmp.resolve("m.jsonl"), "{}\n", "--metrics");

        assertEquals("{}\n", Files.readString(tmp.resolve("m.jsonl")));
        assertFalse(Files.exists(orphan), "its process has ended");
        assertEquals(List.of(otherFile, notOurs, running).stream().map(p -> p.getFileName().toString()).sorted()
                .toList(), namesIn(tmp).stream().filter(n -> !n.equals("m.jsonl")).toList());
    }

    @Test
    void aPlaceWhereNoFileCanBeMadeIsNamedWithTheOptionAndTheReasonNotTheTemporaryFile() {
        Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self")), "needs Linux /proc");
        IOException e = assertThrows(IOException.class,
                () -> AtomicFile.write(Path.of("/proc/o.csv"), "x", "--out"));
        assertEquals("--out /proc/o.csv: cannot write in /proc (no such file)", e.getMessage());
        e = assertThrows(IOException.class, () -> AtomicFile.checkWritable(Path.of("/proc/o.csv"), "--out"));
        assertEquals("--out /proc/o.csv: cannot write in /proc (no such file)", e.getMessage());
    }

    @Test
    void compareOptimizersRefusesAnUnwritableOutBeforeTraining() {
        Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self")), "needs Linux /proc");
        Cli r = Cli.run("compare-optimizers", "--iterations", "100000", "--out", "/proc/o.csv");
        assertEquals(ExitCode.BAD_INPUT, r.code, r::toString);
        assertEquals("", r.out, "nothing trained");
        assertEquals(List.of("nnj compare-optimizers: --out /proc/o.csv: cannot write in /proc (no such file)"),
                r.errLines());
    }

    /** Ctrl-C (SIGINT) and {@code kill} (SIGTERM) in the middle of a run that writes {@code --metrics}. */
    @Test
    void aRunStoppedByASignalLeavesNoTemporaryFileAndTheEarlierMetricsAlone(@TempDir Path tmp) throws Exception {
        Assumptions.assumeTrue(System.getProperty("os.name").startsWith("Linux"), "signals by kill(1)");
        Path metrics = Files.writeString(tmp.resolve("m.jsonl"), "an earlier run's metrics\n");
        for (String signal : List.of("INT", "TERM")) {
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), Main.class.getName(), "train", "--epochs", "100000",
                    "--hidden", "10", "--train-limit", "200", "--batch-size", "20", "--quiet", "--metrics",
                    metrics.toString()).redirectErrorStream(true).redirectOutput(tmp.resolve("out.txt").toFile())
                    .start();
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (namesIn(tmp).stream().noneMatch(n -> n.startsWith(".m.jsonl.") && n.endsWith(".tmp"))) {
                    assertTrue(p.isAlive(), () -> "the run ended before it began its metrics: " + output(tmp));
                    assertTrue(System.nanoTime() < deadline, "no temporary metrics file within 60 s");
                    Thread.sleep(20);
                }
                Thread.sleep(300); // some epochs into the temporary file
                assertEquals(0, new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start().waitFor());
                assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the run did not stop on SIG" + signal);
                assertTrue(p.exitValue() != 0, "SIG" + signal + " ends the run with a failure status");
            } finally {
                p.destroyForcibly().waitFor();
            }
            assertEquals(List.of("m.jsonl", "out.txt"), namesIn(tmp), "after SIG" + signal + ": " + output(tmp));
            assertEquals("an earlier run's metrics\n", Files.readString(metrics));
        }
    }

    private static String output(Path tmp) {
        try {
            return Files.readString(tmp.resolve("out.txt"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }
}
