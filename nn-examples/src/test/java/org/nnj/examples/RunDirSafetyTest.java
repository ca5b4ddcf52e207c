package org.nnj.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nnj.api.Settings;
import org.nnj.core.Registry;
import org.nnj.core.io.ModelStore;

/**
 * Nothing already saved is lost: outputs may not land in saved model or run directories, two runs may not save into
 * one directory at once ({@link RunLock}), and {@code --save} refuses a directory an earlier run left anything in.
 */
class RunDirSafetyTest {
    private static final String FAST = "--epochs 1 --train-limit 500";

    private static Cli ok(String... args) {
        Cli r = Cli.run(args);
        assertEquals(0, r.code, r::toString);
        return r;
    }

    private static String[] args(String base, String... more) {
        List<String> a = new ArrayList<>(List.of(base.split(" ")));
        a.addAll(List.of(more));
        return a.toArray(new String[0]);
    }

    /** A refusal: exit 2, one line on stderr (returned), nothing trained. */
    private static String refused(String... args) {
        Cli r = Cli.run(args);
        assertEquals(2, r.code, r::toString);
        assertEquals(1, r.errLines().size(), r::toString);
        assertFalse(r.out.contains("epoch"), "refused before training: " + r);
        return r.errLines().get(0);
    }

    /** Every file under {@code dir} (the lock file aside) with its bytes. */
    private static Map<String, byte[]> contents(Path dir) throws IOException {
        Map<String, byte[]> all = new TreeMap<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(p) && !p.getFileName().toString().equals(RunLock.FILE)) {
                    all.put(dir.relativize(p).toString(), Files.readAllBytes(p));
                }
            }
        }
        return all;
    }

    private static void assertSameContents(Map<String, byte[]> before, Path dir) throws IOException {
        Map<String, byte[]> after = contents(dir);
        assertEquals(before.keySet(), after.keySet(), dir + ": files");
        for (String f : before.keySet()) {
            assertArrayEquals(before.get(f), after.get(f), dir.resolve(f) + " changed");
        }
    }

    @Test
    void outputsInsideASavedModelOrThisRunsDirectoriesAreRefusedBeforeTraining(@TempDir Path tmp)
            throws IOException {
        Path run = tmp.resolve("run");
        ok(args("train " + FAST, "--save", run.toString()));
        Map<String, byte[]> saved = contents(run);
        assertTrue(saved.containsKey("weights.safetensors") && saved.containsKey("checkpoint/weights.safetensors"));

        Path weights = run.resolve("weights.safetensors");
        assertEquals("nnj train: option --metrics " + weights + ": the file would be inside " + run.toRealPath()
                + ", a saved model or run directory; write it outside that directory (see ./nnj help train)",
                refused(args("train " + FAST, "--metrics", weights.toString())));
        String csv = refused("compare-optimizers", "--iterations", "5", "--optimizers", "sgd", "--out",
                run.resolve("network.json").toString());
        assertTrue(csv.startsWith("nnj compare-optimizers: option --out " + run.resolve("network.json")
                + ": the file would be inside " + run.toRealPath() + ", a saved model"), csv);
        // a new file deeper inside: the checkpoint is a model directory itself
        String deep = refused("compare-optimizers", "--iterations", "5", "--optimizers", "sgd", "--out",
                run.resolve("checkpoint/loss.csv").toString(), "--plot", tmp.resolve("loss.png").toString());
        assertTrue(deep.contains("inside " + run.toRealPath().resolve("checkpoint") + ", a saved model"), deep);
        String plot = refused("compare-optimizers", "--iterations", "5", "--optimizers", "sgd", "--out",
                tmp.resolve("loss.csv").toString(), "--plot", run.resolve("loss.png").toString());
        assertTrue(plot.startsWith("nnj compare-optimizers: option --plot " + run.resolve("loss.png")), plot);
        // through a symbolic link
        Path link = Files.createSymbolicLink(tmp.resolve("link"), run);
        String linked = refused(args("train " + FAST, "--plot", link.resolve("curves.png").toString()));
        assertTrue(linked.contains(": the file would be inside " + run.toRealPath() + ", a saved model"), linked);

        // this run's own directories: the --save one before it holds anything, the resumed one
        Path s2 = tmp.resolve("s2");
        assertEquals("nnj train: option --metrics " + s2.resolve("weights.safetensors") + ": the file would be "
                + "inside " + s2 + ", the directory this run saves into; write it outside that directory (see ./nnj "
                + "help train)", refused(args("train " + FAST, "--save", s2.toString(), "--metrics",
                s2.resolve("weights.safetensors").toString())));
        assertFalse(Files.exists(s2), "nothing created");
        String resumed = refused("train", "--resume", run.toString(), "--save", tmp.resolve("s3").toString(),
                "--metrics", run.resolve("m.json").toString());
        assertTrue(resumed.contains(": the file would be inside " + run + ", the run this run resumes"), resumed);
        assertFalse(Files.exists(tmp.resolve("s3")), "nothing created");
        // the other output and the spec file
        assertTrue(refused(args("train " + FAST, "--metrics", tmp.resolve("c.png").toString(), "--plot",
                tmp.resolve("c.png").toString())).contains("options --metrics and --plot name the same file"));
        Path spec = tmp.resolve("spec.json");
        Files.copy(Path.of("..", "specs", "two-layer.json"), spec);
        byte[] specBytes = Files.readAllBytes(spec);
        assertTrue(refused(args("train " + FAST, "--spec", spec.toString(), "--metrics", spec.toString()))
                .contains("that is the --spec file"));
        assertArrayEquals(specBytes, Files.readAllBytes(spec));

        assertSameContents(saved, run);

        // an ordinary existing file is overwritten, as with any -o; a lone spec named network.json is no model
        Path specs = Files.createDirectories(tmp.resolve("specs"));
        Files.copy(spec, specs.resolve("network.json"));
        Path metrics = specs.resolve("metrics.json");
        Files.writeString(metrics, "an earlier run's metrics\n");
        ok(args("train " + FAST, "--metrics", metrics.toString()));
        List<String> lines = Files.readAllLines(metrics);
        assertEquals(1, lines.size(), lines::toString);
        assertTrue(lines.get(0).startsWith("{\"epoch\":1,"), lines::toString);
    }

    @Test
    void outputsThatAreNoRegularFileOrLieInTheDataDirectoryAreRefusedAndLeftAlone(@TempDir Path tmp)
            throws IOException, InterruptedException {
        // a FIFO: the temporary file's rename would have replaced it with a regular file
        Path fifo = tmp.resolve("fifo");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        assertEquals("nnj train: option --metrics " + fifo + ": expected a regular file, found a device, FIFO or "
                + "socket; name a file (see ./nnj help train)",
                refused(args("train " + FAST, "--metrics", fifo.toString())));
        assertTrue(Files.exists(fifo) && !Files.isRegularFile(fifo) && !Files.isDirectory(fifo), "still a FIFO");
        String device = refused("compare-optimizers", "--iterations", "5", "--optimizers", "sgd", "--out",
                "/dev/null");
        assertTrue(device.startsWith("nnj compare-optimizers: option --out /dev/null: expected a regular file, found "
                + "a device"), device);
        assertFalse(Files.isRegularFile(Path.of("/dev/null")));
        Path dir = Files.createDirectories(tmp.resolve("dir.json"));
        assertTrue(refused(args("train " + FAST, "--metrics", dir.toString()))
                .contains("option --metrics " + dir + ": expected a regular file, found a directory"));

        // the run's data directory: a data file, or any new file beside them
        Path data = Files.createDirectories(tmp.resolve("data"));
        Path labels = Files.write(data.resolve("t10k-labels-idx1-ubyte"), new byte[] {0, 0, 8, 1, 0, 0, 0, 0});
        assertEquals("nnj train: option --metrics " + labels + ": the file would be inside " + data + ", the run's "
                + "data directory; write it outside that directory (see ./nnj help train)",
                refused(args("train " + FAST, "--data-dir", data.toString(), "--metrics", labels.toString())));
        String csv = refused("compare-optimizers", "--iterations", "5", "--optimizers", "sgd", "--data-dir",
                data.toString(), "--out", data.resolve("loss.csv").toString());
        assertTrue(csv.contains(": the file would be inside " + data + ", the run's data directory"), csv);
        assertArrayEquals(new byte[] {0, 0, 8, 1, 0, 0, 0, 0}, Files.readAllBytes(labels));
        assertFalse(Files.exists(data.resolve("loss.csv")));
    }

    @Test
    void aDirectoryAnotherProcessHoldsIsRefusedAndFreedWhenThatProcessIsKilled(@TempDir Path tmp)
            throws Exception {
        Path a = tmp.resolve("a");
        ok(args("train " + FAST, "--save", a.toString()));
        Map<String, byte[]> saved = contents(a);

        Process holder = holdLock(a);
        try {
            String inUse = "nnj train: " + a + " is in use by another nnj run (pid " + holder.pid() + "); wait for it "
                    + "to finish";
            // saving into it, and reading its checkpoint to save elsewhere
            assertEquals(inUse, refused("train", "--resume", a.toString(), "--epochs", "2"));
            assertEquals(inUse, refused("train", "--resume", a.toString(), "--epochs", "2", "--save",
                    tmp.resolve("b").toString()));
            assertFalse(Files.exists(tmp.resolve("b")), "a refused run creates nothing");
            assertSameContents(saved, a);
        } finally {
            holder.destroyForcibly(); // SIGKILL: no clean-up runs, the OS drops the lock
            assertTrue(holder.waitFor(1, TimeUnit.MINUTES));
        }
        assertTrue(Files.exists(a.resolve(RunLock.FILE)), "the killed holder's lock file is still there");
        Cli resumed = ok("train", "--resume", a.toString(), "--epochs", "2");
        assertTrue(resumed.out.contains("epoch  2/2"), resumed.out);
        assertEquals(ProcessHandle.current().pid(),
                Long.parseLong(Files.readString(a.resolve(RunLock.FILE)).trim()), "the last holder's pid");
    }

    @Test
    void resumingARunBeforeItsFirstCheckpointSaysItIsStillRunning(@TempDir Path tmp) throws Exception {
        Path early = Files.createDirectories(tmp.resolve("early"));
        Process holder = holdLock(early); // a run that has locked its --save directory, still in its first epoch
        try {
            assertEquals("nnj train: --resume " + early + ": the run in it has not saved its first checkpoint yet: "
                    + early + " is in use by another nnj run (pid " + holder.pid() + "); wait for it to finish",
                    refused("train", "--resume", early.toString()));
            String metrics = refused(args("train " + FAST, "--metrics", early.resolve("m.json").toString()));
            assertTrue(metrics.contains(": the file would be inside " + early.toRealPath() + ", the directory a "
                    + "running nnj run saves into"), metrics);
            assertFalse(Files.exists(early.resolve("m.json")));
        } finally {
            holder.destroyForcibly();
            assertTrue(holder.waitFor(1, TimeUnit.MINUTES));
        }
        // the holder is gone: nothing to resume, said as before
        assertEquals("nnj train: --resume " + early + ": expected a run saved by train --save (with "
                + early.resolve("checkpoint").resolve(ModelStore.MANIFEST_FILE) + "), found no checkpoint",
                refused("train", "--resume", early.toString()));

        // a run's checkpoint directory named instead of the run
        Path run = tmp.resolve("run");
        ok(args("train " + FAST, "--save", run.toString()));
        assertEquals("nnj train: --resume " + run.resolve("checkpoint") + ": that is a run's checkpoint; resume the "
                + "run directory instead: --resume " + run, refused("train", "--resume",
                run.resolve("checkpoint").toString()));
    }

    @Test
    void saveAndResumeSayWhatTheyFoundInsteadOfARun(@TempDir Path tmp) throws IOException {
        Path run = tmp.resolve("run");
        ok(args("train " + FAST, "--save", run.toString()));
        Map<String, byte[]> saved = contents(run);
        // a new run inside a saved one's checkpoint
        Path inside = run.resolve("checkpoint").resolve("sub");
        assertEquals("nnj train: option --save " + inside + ": the directory would be inside " + run.toRealPath()
                + "/checkpoint, a saved model or run directory; save outside that directory (see ./nnj help train)",
                refused(args("train " + FAST, "--save", inside.toString())));
        assertSameContents(saved, run);
        // a file, and a checkpoint directory without its manifest
        Path file = Files.writeString(tmp.resolve("file"), "x");
        assertTrue(refused("train", "--resume", file.toString()).endsWith("found a file"));
        Path half = Files.createDirectories(tmp.resolve("half").resolve("checkpoint"));
        Files.writeString(half.resolve("notes.txt"), "not a file of a save");
        assertTrue(refused("train", "--resume", half.getParent().toString()).endsWith("found " + half + " without its "
                + "manifest.json (a checkpoint that was never completed, or damaged)"));

        // the first checkpoint of a run killed (or out of disk space) while saving it: pending files, no manifest
        Path stuck = tmp.resolve("stuck");
        Path pending = Files.createDirectories(stuck.resolve("checkpoint"));
        Files.write(pending.resolve("weights.safetensors.new"), new byte[1000]);
        Files.write(pending.resolve(".network.json.new.123.tmp"), new byte[10]);
        assertEquals("nnj train: --resume " + stuck + ": expected a run saved by train --save (with " + pending
                + "/manifest.json), found no completed checkpoint (" + pending + " holds only the pending files of a "
                + "first save that was interrupted); start the run afresh with --save " + stuck,
                refused("train", "--resume", stuck.toString()));
        ok(args("train " + FAST, "--save", stuck.toString()));
        try (Stream<Path> files = Files.list(pending)) {
            assertEquals(List.of("checkpoint.json", "manifest.json", "network.json", "optimizer.safetensors",
                    "weights.safetensors"), files.map(f -> f.getFileName().toString()).sorted().toList(),
                    "a committed checkpoint, the pending files gone");
        }
        // a directory that cannot be made: what went wrong, not the JDK's exception name
        String proc = refused(args("train " + FAST, "--save", "/proc/nnj-cannot-exist"));
        assertEquals("nnj train: --save /proc/nnj-cannot-exist: cannot create the directory (/proc/nnj-cannot-exist: "
                + "no such file or directory)", proc);
    }

    @Test
    void aRunRefusedBeforeSavingAnythingLeavesNoSaveDirectoryBehindButKeepsOnesThatExisted(@TempDir Path tmp)
            throws IOException {
        Path spec = Files.writeString(tmp.resolve("bad.json"), """
                {"format": "nnj-network", "version": 1, "input_shape": [784], "dtype": "float32",
                 "layers": [{"provider": "no-such-layer"}], "loss": {"provider": "softmax-cross-entropy"}}""");
        Path run = tmp.resolve("new/runs/a");
        Cli r = Cli.run("train", "--spec", spec.toString(), "--save", run.toString());
        assertEquals(ExitCode.BAD_INPUT, r.code, r::toString);
        assertTrue(r.err.contains("no-such-layer"), r::toString);
        assertFalse(Files.exists(tmp.resolve("new")), "the directories it made for --save are gone");

        Path existing = Files.createDirectories(tmp.resolve("mine"));
        r = Cli.run("train", "--spec", spec.toString(), "--save", existing.toString());
        assertEquals(ExitCode.BAD_INPUT, r.code, r::toString);
        assertTrue(Files.isDirectory(existing), "a directory that was there before stays");

        Path diverged = tmp.resolve("diverged");
        r = Cli.run("train", "--hidden", "10", "--train-limit", "200", "--lr", "1e30", "--save", diverged.toString());
        assertEquals(ExitCode.FAILED, r.code, r::toString);
        assertTrue(Files.isDirectory(diverged.resolve("last-finite")), "what a failed run saved stays: " + r);
    }

    @Test
    void aDirectoryWhereTheLockCannotBeMadeSaysWhyInWordsNotAsAJavaException() {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self")), "needs Linux /proc");
        IOException e = assertThrows(IOException.class, () -> RunLock.acquire(Path.of("/proc")));
        assertEquals("/proc: cannot lock " + RunLock.FILE + " against other nnj runs (no such file)", e.getMessage());
    }

    /** Starts a JVM that holds {@code dir}'s lock (by {@link RunLock} itself) until it is killed. */
    private static Process holdLock(Path dir) throws IOException {
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), LockHolder.class.getName(), dir.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        if (!"locked".equals(line)) {
            p.destroyForcibly();
            throw new AssertionError("the lock holder said: " + line);
        }
        return p;
    }

    /** The child of {@link #holdLock}. */
    static final class LockHolder {
        public static void main(String[] args) throws Exception {
            RunLock lock = RunLock.acquire(Path.of(args[0]));
            System.out.println("locked");
            System.out.flush();
            Thread.sleep(TimeUnit.MINUTES.toMillis(5));
            lock.close();
        }
    }

    @Test
    void aSecondRunInThisJvmIsRefusedAndTheLockIsReleasedWhenTheRunEnds(@TempDir Path tmp) throws IOException {
        Path a = tmp.resolve("a");
        ok(args("train " + FAST, "--save", a.toString()));
        RunLock held = RunLock.acquire(a);
        try {
            assertEquals("nnj train: " + a + " is in use by another nnj run (pid " + ProcessHandle.current().pid()
                    + "); wait for it to finish", refused("train", "--resume", a.toString(), "--epochs", "2"));
            IOException e = assertThrows(IOException.class, () -> RunLock.acquire(a));
            assertTrue(e.getMessage().contains("is in use by another nnj run"), e.getMessage());
            // saving a new run there: not the usual "continue it with --resume", which would be refused too
            assertEquals("nnj train: option --save " + a + ": " + a + " is in use by another nnj run (pid "
                    + ProcessHandle.current().pid() + "); wait for it to finish, or save into another directory (see "
                    + "./nnj help train)",
                    refused(args("train " + FAST, "--save", a.toString())));
        } finally {
            held.close();
        }
        // released by the refused run's failure and by every run's end, so it can be taken again
        ok("train", "--resume", a.toString(), "--epochs", "2");
        RunLock.acquire(a).close();

        // the lock file is no model file: the model and its checkpoint load and summarise as before
        ModelStore.load(a, Registry.load(Main.class.getClassLoader()),
                Registry.load(Main.class.getClassLoader()).backend("cpu", Settings.empty()));
        ok("summary", "--model", a.toString());
        ok("summary", "--model", a.resolve("checkpoint").toString());

        // a run that fails before saving anything removes the directory it made; one holding only the lock file of
        // a run killed before saving anything is free to save into, and such a failure leaves it as it was
        Path c = tmp.resolve("c");
        assertEquals(2, Cli.run(args("train " + FAST, "--save", c.toString(), "--batch-size", "100000")).code);
        assertFalse(Files.exists(c));
        Files.createFile(Files.createDirectories(c).resolve(RunLock.FILE));
        assertEquals(2, Cli.run(args("train " + FAST, "--save", c.toString(), "--batch-size", "100000")).code);
        try (Stream<Path> files = Files.list(c)) {
            assertEquals(List.of(c.resolve(RunLock.FILE)), files.toList());
        }
        ok(args("train " + FAST, "--save", c.toString()));
        assertTrue(Files.isRegularFile(c.resolve(ModelStore.WEIGHTS_FILE)));
    }

    @Test
    void saveRefusesADirectoryWithAnEarlierRunsFilesNamingThem(@TempDir Path tmp) throws IOException {
        // a run that diverged in its first epoch leaves last-finite/ only
        Path b = tmp.resolve("b");
        assertEquals(1, Cli.run(args("train --epochs 2 --lr 1e30 --train-limit 1000", "--save", b.toString())).code);
        Map<String, byte[]> diverged = contents(b);
        assertTrue(diverged.containsKey("last-finite/weights.safetensors"), diverged::toString);
        assertEquals("nnj train: option --save " + b + ": the directory already holds a run that diverged "
                + "(last-finite/, its last finite weights); save into another directory, or move "
                + b.resolve("last-finite") + " away first (see ./nnj help train)",
                refused(args("train " + FAST, "--save", b.toString())));
        assertSameContents(diverged, b);

        // a spec file that happens to be called network.json would be overwritten by the save
        Path d = Files.createDirectories(tmp.resolve("d"));
        Files.writeString(d.resolve("network.json"), "{}");
        assertEquals("nnj train: option --save " + d + ": the directory already holds network.json; save into "
                + "another directory, or move it away first (see ./nnj help train)",
                refused(args("train " + FAST, "--save", d.toString())));

        // other files are no run: saved beside them, untouched
        Path e = Files.createDirectories(tmp.resolve("e"));
        Files.writeString(e.resolve("notes.txt"), "mine");
        ok(args("train " + FAST, "--save", e.toString()));
        assertEquals("mine", Files.readString(e.resolve("notes.txt")));
        assertTrue(Files.isRegularFile(e.resolve("checkpoint/manifest.json")));
    }

    @Test
    void countsOfOneAreSingular(@TempDir Path tmp) {
        Cli train = ok(args("train " + FAST));
        assertTrue(train.out.contains(", batch 100, 1 epoch, seed 0,"), train.out);
        assertTrue(train.out.contains(") after 1 epoch in "), train.out);
        Cli two = ok("train", "--epochs", "2", "--train-limit", "500", "--quiet");
        assertTrue(two.out.contains(") after 2 epochs in "), two.out);
        Cli compare = ok("compare-optimizers", "--iterations", "1", "--batch-size", "1", "--optimizers", "sgd",
                "--out", tmp.resolve("o.csv").toString());
        assertTrue(compare.out.contains("; 1 iteration of 1 random image (with replacement)"), compare.out);
        Cli bench = ok("bench", "--epochs", "1", "--train-limit", "200");
        assertTrue(bench.out.contains(", batch 100, 1 epoch, backend "), bench.out);
    }
}
