package org.nnj.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./nnj} launcher's handling of {@code NNJ_CLASSPATH}: an entry that does not exist is refused in one line
 * (the JVM would skip it silently, and the plugin's layers would be "unknown"); existing entries reach the JVM's class
 * path after nnj.jar. The launcher runs from a copy in a temporary root, with an up-to-date empty nnj.jar (so it never
 * builds) and a stand-in {@code java} that prints its arguments.
 */
class LauncherTest {
    private static final Path LAUNCHER = Path.of("..", "nnj").toAbsolutePath().normalize();

    @TempDir
    Path root;
    private Path jdk;

    @BeforeEach
    void fakeTree() throws IOException {
        assertTrue(Files.isRegularFile(LAUNCHER), LAUNCHER + " is missing");
        Files.copy(LAUNCHER, root.resolve("nnj"), StandardCopyOption.COPY_ATTRIBUTES);
        Files.createDirectories(root.resolve("nn-examples/target"));
        Files.write(root.resolve("nn-examples/target/nnj.jar"), new byte[0]);
        jdk = root.resolve("jdk");
        Path java = Files.createDirectories(jdk.resolve("bin")).resolve("java");
        Files.writeString(java, "#!/usr/bin/env bash\n"
                + "if [[ \"$1\" == -version ]]; then echo 'openjdk version \"17.0.9\" 2023-10-17' >&2; exit 0; fi\n"
                + "printf 'arg %s\\n' \"$@\"\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private record Run(int code, String out, String err) {
        List<String> errLines() {
            return err.lines().filter(l -> !l.isBlank()).toList();
        }

        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private Run nnj(Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("bash", root.resolve("nnj").toString(), "list").directory(root.toFile());
        pb.environment().remove("NNJ_CLASSPATH");
        pb.environment().remove("CLASSPATH");
        pb.environment().remove("JAVA_OPTS");
        pb.environment().put("JAVA_HOME", jdk.toString());
        pb.environment().putAll(env);
        Path out = root.resolve("out.txt");
        Path err = root.resolve("err.txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        p.getOutputStream().close();
        if (!p.waitFor(1, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("./nnj list took over a minute");
        }
        // the launcher's stderr filter runs in a process substitution that may finish just after the launcher
        Thread.sleep(100);
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    /** The smallest zip archive: an end-of-central-directory record alone. */
    private static final byte[] EMPTY_JAR = {'P', 'K', 5, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};

    @Test
    void aFileThatIsNoJarIsRefusedInOneLineNamingIt() throws Exception {
        Path garbage = Files.writeString(root.resolve("bad.jar"), "garbage\n");
        Run r = nnj(Map.of("NNJ_CLASSPATH", garbage.toString()));
        assertEquals(2, r.code, r::toString);
        assertEquals(List.of("nnj: NNJ_CLASSPATH entry " + garbage + " is not a jar: expected a zip archive (a file "
                + "starting with PK), found 8 bytes of something else"), r.errLines(), r::toString);
        assertEquals("", r.out, "java must not run");
    }

    @Test
    void aMissingNnjClasspathEntryIsRefusedInOneLineNamingIt() throws Exception {
        Path jar = Files.write(root.resolve("good.jar"), EMPTY_JAR);
        Run r = nnj(Map.of("NNJ_CLASSPATH", jar + ":/tmp/nothere-" + root.getFileName() + ".jar"));
        assertEquals(2, r.code, r::toString);
        assertEquals(List.of("nnj: NNJ_CLASSPATH entry /tmp/nothere-" + root.getFileName() + ".jar does not exist; "
                + "list the plugin jars separated by ':', e.g. NNJ_CLASSPATH=/path/to/your-plugin.jar ./nnj list"),
                r.errLines(), r::toString);
        assertEquals("", r.out, "java must not run");

        Run relative = nnj(Map.of("CLASSPATH", "plugins/*"));
        assertEquals(2, relative.code, relative::toString);
        assertTrue(relative.err.startsWith("nnj: CLASSPATH entry plugins/* does not exist (relative to "),
                relative::toString);
    }

    @Test
    void existingEntriesFollowNnjJarOnTheClassPath() throws Exception {
        Path jar = Files.write(root.resolve("my layers.jar"), EMPTY_JAR);
        Files.createDirectories(root.resolve("plugins"));
        Run r = nnj(Map.of("NNJ_CLASSPATH", jar + ":plugins/*"));
        assertEquals(0, r.code, r::toString);
        List<String> args = r.out.lines().toList();
        int cp = args.indexOf("arg -cp");
        assertTrue(cp >= 0, r::toString);
        assertEquals("arg " + root.toRealPath().resolve("nn-examples/target/nnj.jar") + ":" + jar + ":plugins/*", args.get(cp + 1));
        assertEquals(List.of("arg org.nnj.examples.Main", "arg list"), args.subList(cp + 2, args.size()));
    }

    @Test
    void hugePagesAreAskedForWhenTheKernelOffersThemAndJavaOptsComeAfter() throws Exception {
        Path thp = Path.of("/sys/kernel/mm/transparent_hugepage/enabled");
        String mode = Files.isReadable(thp) ? Files.readString(thp) : "";
        boolean offered = mode.contains("[madvise]") || mode.contains("[always]");
        Run r = nnj(Map.of("JAVA_OPTS", "-XX:-UseTransparentHugePages"));
        assertEquals(0, r.code, r::toString);
        List<String> args = r.out.lines().toList();
        int on = args.indexOf("arg -XX:+UseTransparentHugePages");
        int off = args.indexOf("arg -XX:-UseTransparentHugePages");
        assertTrue(off >= 0, r::toString);
        if (offered) {
            assertTrue(on >= 0 && on < off, "kernel says " + mode.strip() + ": expected the option before JAVA_OPTS\n" + r);
        } else {
            assertEquals(-1, on, "kernel says " + mode.strip() + ": the JVM would warn\n" + r);
        }
    }

    /**
     * Ctrl-C on a terminal signals the whole foreground process group: the JVM and the launcher's stderr filter. The
     * filter must outlive the signal, or what the JVM says as it stops (which checkpoint a {@code --save} run kept) is
     * lost. Here a stand-in java says something on SIGINT; the launcher runs in its own process group, signalled as a
     * terminal would.
     */
    @Test
    void whatJavaSaysOnCtrlCStillReachesStderr() throws Exception {
        Path ready = root.resolve("ready");
        Files.writeString(jdk.resolve("bin/java"), "#!/usr/bin/env bash\n"
                + "if [[ \"$1\" == -version ]]; then echo 'openjdk version \"17.0.9\" 2023-10-17' >&2; exit 0; fi\n"
                + "trap 'sleep 0.2; echo \"stopping: checkpoint kept\" >&2; exit 130' INT\n"
                + "touch '" + ready + "'\n"
                + "while true; do sleep 0.05; done\n");
        Path err = root.resolve("err.txt");
        ProcessBuilder pb = new ProcessBuilder("setsid", "bash", root.resolve("nnj").toString(), "train")
                .directory(root.toFile()).redirectOutput(root.resolve("out.txt").toFile()).redirectError(err.toFile());
        pb.environment().remove("JAVA_OPTS");
        pb.environment().put("JAVA_HOME", jdk.toString());
        Process p = pb.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!Files.exists(ready)) {
                assertTrue(p.isAlive() && System.nanoTime() < deadline, "the stand-in java did not start");
                Thread.sleep(20);
            }
            Thread.sleep(200);
            // setsid made the launcher (now java) a process group leader: signal the group, as Ctrl-C does
            assertEquals(0, new ProcessBuilder("kill", "-INT", "--", "-" + p.pid()).start().waitFor());
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the stand-in java did not stop");
            assertEquals(130, p.exitValue());
        } finally {
            p.destroyForcibly().waitFor();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!Files.readString(err).contains("\n") && System.nanoTime() < deadline) {
            Thread.sleep(20); // the filter may finish just after java
        }
        assertEquals("stopping: checkpoint kept\n", Files.readString(err));
    }
}
