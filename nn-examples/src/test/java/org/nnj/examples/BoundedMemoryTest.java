package org.nnj.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.module.ModuleFinder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training on full Fashion-MNIST fits a 512 MB heap, because the images stay bytes and become numbers one batch at a
 * time: {@code nnj train} runs in a child JVM started with {@code -Xmx512m}, as {@code JAVA_OPTS=-Xmx512m ./nnj train}
 * would start it. A heap far too small fails with nnj's one-line message, which shows that the limit is real.
 * Skipped when {@code /usr/share/datasets/fashion-mnist} is absent.
 */
class BoundedMemoryTest {
    private static final Path FASHION = Path.of("/usr/share/datasets/fashion-mnist");
    private static final String VECTOR_WARNING = "WARNING: Using incubator modules: jdk.incubator.vector";

    @TempDir
    Path tmp;

    @BeforeEach
    void needsFashionMnist() {
        Assumptions.assumeTrue(Files.isDirectory(FASHION), FASHION + " is absent (apt-get install -y "
                + "dataset-fashion-mnist)");
    }

    private record Run(int code, String out, List<String> errLines) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + String.join("\n", errLines);
        }
    }

    /** {@code java <heap> Main args...} with the test class path, as the launcher runs it. */
    private Run nnj(String heap, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (ModuleFinder.ofSystem().find("jdk.incubator.vector").isPresent()) {
            cmd.addAll(List.of("--add-modules", "jdk.incubator.vector"));
        }
        cmd.addAll(List.of(heap, "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        Path out = tmp.resolve("out.txt");
        Path err = tmp.resolve("err.txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        p.getOutputStream().close();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("nnj " + String.join(" ", args) + " with " + heap + " took over 5 minutes");
        }
        List<String> errLines = Files.readAllLines(err, StandardCharsets.UTF_8).stream()
                .filter(l -> !l.isBlank() && !l.equals(VECTOR_WARNING)).toList();
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), errLines);
    }

    @Test
    void theTwoLayerNetTrainsAnEpochOfFullFashionMnistIn512Mb() throws Exception {
        Run r = nnj("-Xmx512m", "train", "--data-dir", FASHION.toString(), "--epochs", "1");
        assertEquals(0, r.code, r::toString);
        assertTrue(r.out.contains("60000 training / 10000 test") && r.out.contains("final test_acc"), r::toString);
    }

    @Test
    void theCnnEvaluatesTheFullTestSetIn512Mb() throws Exception {
        // training on part of the set keeps the test short; evaluation walks all 10,000 test images in batches
        Run r = nnj("-Xmx512m", "train", "--model", "cnn", "--data-dir", FASHION.toString(), "--epochs", "1",
                "--train-limit", "1000");
        assertEquals(0, r.code, r::toString);
        assertTrue(r.out.contains("final test_acc"), r::toString);
    }

    @Test
    void aHeapFarTooSmallIsOneClearLine() throws Exception {
        Run r = nnj("-Xmx64m", "train", "--data-dir", FASHION.toString(), "--epochs", "1");
        assertEquals(ExitCode.FAILED, r.code, r::toString);
        assertEquals(1, r.errLines.size(), r::toString);
        assertTrue(r.errLines.get(0).startsWith("nnj train: out of memory (Java heap "), r::toString);
        assertTrue(r.errLines.get(0).endsWith("give the JVM more, e.g. JAVA_OPTS=-Xmx2g ./nnj train"), r::toString);
    }
}
