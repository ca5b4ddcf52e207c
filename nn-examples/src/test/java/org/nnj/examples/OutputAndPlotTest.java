package org.nnj.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * What {@code train} and {@code compare-optimizers} print ({@code --quiet}, {@code --verbose}, a forced progress bar)
 * and draw ({@code --plot}): a real PNG of the expected size with the series' colours in it, written only when the run
 * succeeds, and a bad path refused before any training.
 */
class OutputAndPlotTest {
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    /** A small, fast run: the two-layer net with 20 hidden units on 2000 of the embedded images. */
    private static final List<String> SMALL = List.of("--hidden", "20", "--train-limit", "2000", "--batch-size", "20");

    private static Cli train(String... args) {
        return Cli.run(Stream.concat(Stream.concat(Stream.of("train"), SMALL.stream()), Arrays.stream(args))
                .toArray(String[]::new));
    }

    @Test
    void plotIsAPngWithTheCurvesColoursAndNoTemporaryFileIsLeft(@TempDir Path tmp) throws IOException {
        Path png = tmp.resolve("curves.png");
        Cli r = train("--epochs", "3", "--plot", png.toString());
        assertEquals(0, r.code, r::toString);
        assertTrue(r.out.contains("epoch  3/3"), r.out);

        byte[] bytes = Files.readAllBytes(png);
        assertArrayEquals(PNG_SIGNATURE, Arrays.copyOf(bytes, 8), "a PNG file");
        BufferedImage image = ImageIO.read(png.toFile());
        assertNotNull(image, "ImageIO decodes it");
        assertEquals(Plots.WIDTH, image.getWidth());
        assertEquals(Plots.HEIGHT, image.getHeight());
        Set<Integer> colours = colours(image);
        assertTrue(colours.size() > 20, "not blank: " + colours.size() + " colours");
        // the loss, training accuracy and test accuracy lines and legend marks are drawn in these three colours
        for (int k = 0; k < 3; k++) {
            assertTrue(pixelsOf(image, Plots.PALETTE.get(k)) > 30, "series colour " + k + " drawn");
        }
        try (Stream<Path> files = Files.list(tmp)) {
            assertEquals(List.of(png), files.toList(), "no temporary file left behind");
        }
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Path plain = Files.writeString(tmp.resolve("plain"), "x");
            assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(png),
                    "the permissions of any new file (the umask's), not a temporary file's rw-------");
        }
    }

    @Test
    void plotsWithoutADisplayEvenIfDisplayNamesADeadXServer(@TempDir Path tmp) throws Exception {
        Assumptions.assumeTrue(System.getProperty("os.name").startsWith("Linux"), "X11 only");
        // a fresh JVM, as headless or not is fixed by the first java.awt class a JVM loads
        Path png = tmp.resolve("curves.png");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "train", "--epochs", "1",
                "--train-limit", "200", "--batch-size", "20", "--hidden", "10", "--quiet", "--plot", png.toString());
        pb.environment().put("DISPLAY", ":97"); // no X server there
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), output);
        assertTrue(output.startsWith("final test_acc"), output);
        assertNotNull(ImageIO.read(png.toFile()));
    }

    @Test
    void unwritablePlotPathsAreRefusedBeforeTrainingInOneLine(@TempDir Path tmp) throws IOException {
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        Path dir = Files.createDirectory(tmp.resolve("dir.png"));
        for (String[] c : new String[][] {
                {tmp.resolve("missing/curves.png").toString(), "expected an existing directory"},
                {file.resolve("curves.png").toString(), "found a file"},
                {dir.toString(), "expected a file name, found a directory"},
                {tmp.resolve("curves.jpg").toString(), "expected a file name ending in .png"},
                {"", "expected a file name ending in .png, found nothing"}}) {
            Cli r = train("--epochs", "50", "--plot", c[0]);
            assertEquals(ExitCode.BAD_INPUT, r.code, r::toString);
            assertEquals("", r.out, "nothing trained, not even the header printed");
            assertEquals(1, r.errLines().size(), r::toString);
            assertTrue(r.err.startsWith("nnj train: ") && r.err.contains("--plot") && r.err.contains(c[1]), r.err);
        }
    }

    @Test
    void aDirectoryThatCannotBeWrittenIsRefusedBeforeTraining(@TempDir Path tmp) throws IOException {
        Path readOnly = Files.createDirectory(tmp.resolve("read-only"));
        assertTrue(readOnly.toFile().setWritable(false, false));
        try {
            Assumptions.assumeFalse(Files.isWritable(readOnly), "root writes anywhere; see the /proc case");
            Cli r = train("--epochs", "50", "--plot", readOnly.resolve("curves.png").toString());
            assertEquals(ExitCode.BAD_INPUT, r.code, r::toString);
            assertEquals("", r.out);
            assertTrue(r.err.contains("cannot write in " + readOnly), r.err);
        } finally {
            readOnly.toFile().setWritable(true, false);
        }
    }

    @Test
    void aDirectoryWhereNoFileCanBeMadeIsRefusedEvenForRoot() {
        Path proc = Path.of("/proc");
        Assumptions.assumeTrue(Files.isDirectory(proc.resolve("self")), "needs Linux /proc");
        Cli r = train("--epochs", "50", "--plot", "/proc/curves.png");
        assertEquals(ExitCode.BAD_INPUT, r.code, r::toString);
        assertEquals("", r.out);
        assertEquals(List.of("nnj train: --plot /proc/curves.png: cannot write in /proc (no such file)"), r.errLines());
    }

    @Test
    void aRunThatDivergesLeavesAnExistingPlotAlone(@TempDir Path tmp) throws IOException {
        Path png = tmp.resolve("curves.png");
        Files.writeString(png, "keep me");
        Cli r = train("--epochs", "2", "--lr", "1e30", "--plot", png.toString());
        assertEquals(ExitCode.FAILED, r.code, r::toString);
        assertEquals("keep me", Files.readString(png));
        try (Stream<Path> files = Files.list(tmp)) {
            assertEquals(List.of(png), files.toList());
        }
    }

    @Test
    void quietPrintsTheFinalSummaryOnly() {
        Cli r = train("--epochs", "2", "--quiet");
        assertEquals(0, r.code, r::toString);
        List<String> lines = r.out.lines().toList();
        assertEquals(1, lines.size(), r.out);
        assertTrue(lines.get(0).startsWith("final test_acc ") && lines.get(0).contains("after 2 epochs"), r.out);
        assertEquals("", r.err);
    }

    @Test
    void normalOutputIsTheHeaderOneLinePerEpochAndTheSummaryWithoutABar() {
        Cli r = train("--epochs", "2");
        assertEquals(0, r.code, r::toString);
        List<String> lines = r.out.lines().toList();
        assertEquals(4, lines.size(), r.out);
        assertTrue(lines.get(0).startsWith("train 784-20-10 relu on mnist (embedded sample)"), r.out);
        assertTrue(lines.get(1).startsWith("epoch  1/2  loss ") && lines.get(2).startsWith("epoch  2/2  loss "), r.out);
        assertTrue(lines.get(3).startsWith("final test_acc "), r.out);
        assertFalse(r.out.contains("\r"), "not a terminal: no bar");
    }

    @Test
    void verbosePrintsTheEpochLinesAndTurnsOnTheLibrarysDebugLog() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger nnj = context.getLogger("org.nnj");
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.setContext(context);
        log.start();
        nnj.addAppender(log);
        try {
            Cli plain = train("--epochs", "1");
            assertEquals(0, plain.code, plain::toString);
            assertTrue(log.list.stream().noneMatch(e -> e.getLevel().toInt() < Level.WARN_INT),
                    "without --verbose only warnings: " + log.list);

            Cli r = train("--epochs", "1", "--verbose");
            assertEquals(0, r.code, r::toString);
            assertEquals(3, r.out.lines().count(), r.out);
            assertTrue(r.out.contains("epoch  1/1  loss "), r.out);
            assertTrue(log.list.stream().anyMatch(e -> e.getLevel() == Level.DEBUG
                    && e.getFormattedMessage().startsWith("providers found: layers")), "registry debug: " + log.list);
            assertTrue(log.list.stream().anyMatch(e -> e.getLevel() == Level.INFO
                    && e.getFormattedMessage().startsWith("epoch 1/1 loss ")), "trainer info: " + log.list);
            assertEquals(null, nnj.getLevel(), "the level is put back after the command");
        } finally {
            nnj.detachAppender(log);
        }
    }

    @Test
    void aForcedBarIsDrawnInPlaceAndGivesWayToEachEpochLineButNotWhenVerbose() {
        System.setProperty(RunOutput.PROGRESS_PROPERTY, "1");
        try {
            Cli r = train("--epochs", "2");
            assertEquals(0, r.code, r::toString);
            List<String> lines = List.of(r.out.split("\n")); // not lines(), which splits at \r too
            assertEquals(4, lines.size(), r.out);
            for (int epoch = 1; epoch <= 2; epoch++) {
                String line = lines.get(epoch);
                String log = line.substring(line.lastIndexOf('\r') + 1);
                assertTrue(log.startsWith("epoch  " + epoch + "/2  loss "), "the epoch line after the bar: " + line);
                assertTrue(line.startsWith("\repoch  " + epoch + "/2 [") && line.contains("100/100")
                        && line.contains("evaluating"), "the bar reached the last batch: " + line);
                String blank = line.substring(0, line.lastIndexOf('\r'));
                blank = blank.substring(blank.lastIndexOf('\r') + 1);
                assertTrue(blank.isBlank() && blank.length() > 40, "the bar's line blanked: '" + blank + "'");
            }
            assertFalse(train("--epochs", "1", "--verbose").out.contains("\r"), "verbose: no bar");
            assertFalse(train("--epochs", "1", "--quiet").out.contains("\r"), "quiet: no bar");
        } finally {
            System.clearProperty(RunOutput.PROGRESS_PROPERTY);
        }
    }

    @Test
    void compareOptimizersPlotsOneCurvePerOptimizerAndQuietLeavesTheTable(@TempDir Path tmp) throws IOException {
        Path csv = tmp.resolve("losses.csv");
        Path png = tmp.resolve("losses.png");
        Cli r = Cli.run("compare-optimizers", "--optimizers", "sgd,adam,momentum", "--iterations", "120",
                "--hidden", "20", "--batch-size", "16", "--out", csv.toString(), "--plot", png.toString(), "--quiet");
        assertEquals(0, r.code, r::toString);
        List<String> lines = r.out.lines().toList();
        assertEquals(4, lines.size(), "the table's head and one row per optimizer: " + r.out);
        assertTrue(lines.get(0).startsWith("optimizer") && lines.get(1).startsWith("sgd ")
                && lines.get(2).startsWith("adam ") && lines.get(3).startsWith("momentum "), r.out);
        assertEquals(121, Files.readAllLines(csv).size());

        BufferedImage image = ImageIO.read(png.toFile());
        assertNotNull(image);
        assertEquals(Plots.WIDTH, image.getWidth());
        for (int k = 0; k < 3; k++) {
            assertTrue(pixelsOf(image, Plots.PALETTE.get(k)) > 30, "optimizer " + k + "'s curve drawn");
        }
        assertTrue(pixelsOf(image, Plots.PALETTE.get(3)) == 0, "no fourth series");

        Cli bad = Cli.run("compare-optimizers", "--iterations", "120", "--out", csv.toString(), "--plot",
                tmp.resolve("no/such/dir.png").toString());
        assertEquals(ExitCode.BAD_INPUT, bad.code, bad::toString);
        assertEquals("", bad.out);
    }

    private static Set<Integer> colours(BufferedImage image) {
        Set<Integer> set = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                set.add(image.getRGB(x, y) & 0xffffff);
            }
        }
        return set;
    }

    private static int pixelsOf(BufferedImage image, Color colour) {
        int n = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if ((image.getRGB(x, y) & 0xffffff) == (colour.getRGB() & 0xffffff)) {
                    n++;
                }
            }
        }
        return n;
    }
}
