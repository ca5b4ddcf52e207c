package org.nnj.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nnj.core.cpu.CpuBackend;

/**
 * Crash-safe saving, attacked: a child JVM ({@link CrashChild}) trains and saves a checkpoint after every epoch; the
 * test kills it with SIGKILL ({@link Process#destroyForcibly}) at seeded random moments — while the JVM starts, while
 * it trains, while it saves — and starts it again, which resumes from whatever the directory holds. After every kill
 * the last checkpoint must load with its checksums verified, be the last save reported complete (or the one in
 * progress, if the kill came after its commit), and hold bit for bit the weights and optimizer state that an
 * uninterrupted run (the reference, another child) had after that epoch. At the end, the chain of resumed runs must
 * have written the same weight and optimizer files, byte for byte, as the reference, and no temporary file may be
 * left over.
 *
 * <p>{@code -Dnnj.crash.kills=N} (default 30) sets the number of kills, {@code -Dnnj.crash.seed=S} the seed of the
 * kill moments. The test prints one line of counts.
 */
class CrashSafetyTest {
    private static final int KILLS = Integer.getInteger("nnj.crash.kills", 30);
    private static final long SEED = Long.getLong("nnj.crash.seed", 20261204L);
    private static final int SAMPLES = 1000;
    private static final long TIMEOUT_S = 120;
    private static final Set<String> FILES = Set.of(ModelStore.NETWORK_FILE, ModelStore.WEIGHTS_FILE,
            ModelStore.OPTIMIZER_FILE, ModelStore.CHECKPOINT_FILE, ModelStore.MANIFEST_FILE);

    /** One marker line of the child and when the parent read it. */
    private record Line(String text, long nanos) {
        String word() {
            return text.split(" ")[0];
        }

        int epoch() {
            return Integer.parseInt(text.split(" ")[1]);
        }
    }

    /** A running child and the lines it printed. */
    private static final class Child {
        private static final Line EOF = new Line("", 0);
        final Process process;
        final long started = System.nanoTime();
        final Path stderr;
        final List<Line> lines = new ArrayList<>();
        private final BlockingQueue<Line> queue = new LinkedBlockingQueue<>();
        private final Thread reader;

        Child(Path dir, int epochs, Path stderr) throws IOException {
            this.stderr = stderr;
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            // C1 only, the serial collector and no logging backend (the child's failures are exceptions on stderr):
            // the child starts in about half the time on a busy 2-core machine
            process = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:-UsePerfData",
                    "-Xmx128m", "-Dslf4j.provider=org.slf4j.helpers.NOP_FallbackServiceProvider",
                    "-cp", System.getProperty("java.class.path"), CrashChild.class.getName(), dir.toString(),
                    Integer.toString(epochs), Integer.toString(SAMPLES))
                    .redirectError(stderr.toFile()).start();
            process.getOutputStream().close();
            reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    for (String s; (s = in.readLine()) != null; ) {
                        queue.add(new Line(s, System.nanoTime()));
                    }
                } catch (IOException e) {
                    // the pipe breaks when the process is killed: what was read is all there is
                }
                queue.add(EOF);
            }, "crash-child-reader");
            reader.setDaemon(true);
            reader.start();
        }

        /**
         * Waits for the {@code n}-th line starting with {@code word} (counting all lines read so far).
         *
         * @return false if the process ended first
         */
        boolean await(String word, int n) throws InterruptedException {
            long seen = lines.stream().filter(l -> l.word().equals(word)).count();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
            while (seen < n) {
                Line l = queue.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (l == null) {
                    fail("the child printed no '" + word + "' line in " + TIMEOUT_S + " s; stderr: " + stderr());
                }
                if (l == EOF) {
                    queue.add(EOF);
                    return false;
                }
                lines.add(l);
                if (l.word().equals(word)) {
                    seen++;
                }
            }
            return true;
        }

        /** Kills the process (SIGKILL), or lets it end by itself if {@code kill} is false; then reads what is left. */
        int end(boolean kill) throws InterruptedException {
            if (kill) {
                process.destroyForcibly();
            }
            if (!process.waitFor(TIMEOUT_S, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail("the child did not end within " + TIMEOUT_S + " s; stderr: " + stderr());
            }
            reader.join(TimeUnit.SECONDS.toMillis(TIMEOUT_S));
            for (Line l; (l = queue.poll()) != null && l != EOF; ) {
                lines.add(l);
            }
            return process.exitValue();
        }

        String stderr() {
            try {
                String s = Files.readString(stderr);
                return s.length() > 4000 ? s.substring(0, 4000) + " ..." : s;
            } catch (IOException e) {
                return "(unreadable: " + e + ")";
            }
        }

        /** The epoch of the last line starting with {@code word}, or -1. */
        int last(String word) {
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (lines.get(i).word().equals(word)) {
                    return lines.get(i).epoch();
                }
            }
            return -1;
        }
    }

    /** Typical lengths of the phases of a fresh child, from the reference run. */
    private record Phases(long startup, long train, long save) {
        static Phases of(Child c) {
            Line ready = c.lines.stream().filter(l -> l.word().equals("ready")).findFirst().orElseThrow();
            long train = 0;
            long save = 0;
            long prev = ready.nanos;
            int n = 0;
            for (Line l : c.lines) {
                if (l.word().equals("save-begin")) {
                    train += l.nanos - prev;
                } else if (l.word().equals("save-end")) {
                    save += l.nanos - prev;
                    if (++n == 3) {
                        break; // the first epochs of a fresh JVM, as the killed children run them
                    }
                }
                prev = l.nanos;
            }
            return new Phases(ready.nanos - c.started, Math.max(train / n, 1), Math.max(save / n, 1));
        }
    }

    @Test
    void killedAtRandomMomentsTheLastCheckpointAlwaysLoadsAndResumingEndsBitIdentical(@TempDir Path tmp)
            throws Exception {
        // each kill moves the chain at most two epochs on, so the chain cannot finish before the last kill
        int epochs = 2 * KILLS + 10;
        Path refDir = tmp.resolve("reference");
        Child ref = new Child(refDir, epochs, tmp.resolve("reference.err"));
        ref.await("done", 1);
        assertEquals(0, ref.end(false), ref::stderr);
        Map<Integer, String> want = new HashMap<>();
        ref.lines.stream().filter(l -> l.word().equals("save-end"))
                .forEach(l -> want.put(l.epoch(), l.text().split(" ")[2]));
        assertEquals(epochs, want.size(), "the reference saved every epoch");
        assertEquals(epochs, Set.copyOf(want.values()).size(), "every epoch changes the weights");
        Phases phases = Phases.of(ref);

        Path dir = tmp.resolve("chain");
        Random random = new Random(SEED);
        int saved = 0;
        int kills = 0;
        int[] byPhase = new int[3];
        int duringSave = 0;
        int afterCommit = 0;
        int leftovers = 0;
        int maxStrays = 0;
        Set<String> strayNames = new TreeSet<>();
        try (CpuBackend cpu = new CpuBackend(1)) {
            while (kills < KILLS) {
                Child c = new Child(dir, epochs, tmp.resolve("child.err"));
                int phase = random.nextInt(20) < 2 ? 0 : 1 + random.nextInt(2); // startup 10%, train, save
                int epochInRun = random.nextInt(2);
                long delay;
                boolean alive = true;
                if (phase == 0) {
                    delay = (long) (random.nextDouble() * phases.startup);
                } else if (phase == 1) {
                    alive = epochInRun == 0 ? c.await("ready", 1) : c.await("save-end", epochInRun);
                    delay = (long) (random.nextDouble() * phases.train);
                } else {
                    alive = c.await("save-begin", epochInRun + 1);
                    delay = (long) (random.nextDouble() * phases.save);
                }
                long until = (phase == 0 ? c.started : System.nanoTime()) + delay;
                for (long left; alive && (left = until - System.nanoTime()) > 0; ) {
                    LockSupport.parkNanos(left);
                }
                int code = c.end(true);
                assertTrue(code != 0 || !c.lines.isEmpty() && c.lines.get(c.lines.size() - 1).text().equals("done"),
                        "the child failed by itself (exit " + code + "): " + c.stderr());
                assertTrue(code != 0, "the chain finished before kill " + (kills + 1));
                kills++;
                byPhase[phase]++;

                int ready = c.last("ready");
                assertTrue(ready == -1 || ready == saved, "the child resumed from epoch " + ready + ", but the last "
                        + "checkpoint was of epoch " + saved);
                int begun = c.last("save-begin");
                int ended = c.last("save-end");
                boolean inSave = begun > ended;
                duringSave += inSave ? 1 : 0;
                Set<String> strays = strays(dir);
                strayNames.addAll(strays.stream().map(s -> s.replaceAll("\\.[0-9]+\\.tmp$", ".*.tmp")).toList());
                leftovers += strays.isEmpty() ? 0 : 1;
                maxStrays = Math.max(maxStrays, strays.size());
                String at = "kill " + kills + " (phase " + phase + ", " + c.lines.size() + " lines, save-begin "
                        + begun + ", save-end " + ended + ", files " + list(dir) + ")";
                // a save's leftovers: at most one pending file per checkpoint file and one temporary file
                assertTrue(strays.size() <= FILES.size(), at + ": stray files accumulate: " + strays);
                if (!Files.exists(dir.resolve(ModelStore.MANIFEST_FILE))) {
                    assertEquals(0, saved, at + ": the checkpoint of epoch " + saved + " is gone");
                    assertTrue(ended == -1, at + ": a save was reported complete, but there is no checkpoint");
                    continue;
                }
                Checkpoint cp = ModelStore.loadCheckpoint(dir, IoFixtures.registry(), cpu);
                int expected = ended == -1 ? saved : ended;
                if (inSave && cp.epoch() == begun) {
                    afterCommit++;
                } else {
                    assertEquals(expected, cp.epoch(), at + ": the checkpoint is not the last one saved");
                }
                assertEquals(cp.epoch(), cp.history().size(), at);
                assertEquals(want.get(cp.epoch()), CrashChild.fingerprint(cp.network(),
                        cp.optimizer(IoFixtures.registry())), at + ": the checkpoint of epoch " + cp.epoch()
                        + " differs from the uninterrupted run's");
                saved = cp.epoch();
            }
        }

        Child last = new Child(dir, epochs, tmp.resolve("child.err"));
        last.await("done", 1);
        assertEquals(0, last.end(false), last::stderr);
        assertEquals(saved, last.last("ready"), "the last run resumed from the last checkpoint");
        for (String f : List.of(ModelStore.WEIGHTS_FILE, ModelStore.OPTIMIZER_FILE)) {
            assertArrayEquals(Files.readAllBytes(refDir.resolve(f)), Files.readAllBytes(dir.resolve(f)),
                    f + " of the resumed chain differs from the uninterrupted run's");
        }
        assertEquals(want.get(epochs), last.lines.get(last.lines.size() - 2).text().split(" ")[2]);
        assertEquals(FILES, Set.copyOf(list(dir)), "after a complete save, only the checkpoint's files remain");
        if (KILLS >= 10) {
            assertTrue(duringSave > 0 && byPhase[1] > 0, "no kill landed during a save or during training");
        }
        System.out.printf("CrashSafetyTest: %d kills survived (seed %d; aimed at startup %d, training %d, saving %d);"
                        + " %d landed during a save, %d of them after its commit; %d left stray files (at most %d at"
                        + " once: %s); %d epochs, all bit-identical to the uninterrupted run%n", kills, SEED,
                byPhase[0], byPhase[1], byPhase[2], duringSave, afterCommit, leftovers, maxStrays, strayNames,
                epochs);
    }

    private static List<String> list(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    private static Set<String> strays(Path dir) throws IOException {
        Set<String> s = new TreeSet<>(list(dir));
        s.removeAll(FILES);
        return s;
    }
}
