package org.nnj.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Usage, {@code apple}, {@code list} and the exit codes for bad usage and bad input. */
class CliTest {

    @Test
    void noArgumentsPrintsUsage() {
        Cli r = Cli.run();
        assertEquals(0, r.code, r::toString);
        for (String c : new String[] {"train", "apple", "gradcheck", "compare-optimizers", "list", "help"}) {
            assertTrue(r.out.contains("  " + c + " "), "usage lists " + c + ":\n" + r.out);
        }
        assertEquals(r.out, Cli.run("--help").out);
        assertEquals(r.out, Cli.run("help").out);
    }

    @Test
    void helpOnAnUnknownCommandIsBadUsage() {
        Cli r = Cli.run("help", "bogus");
        assertEquals(2, r.code, r::toString);
        assertEquals(1, r.err.lines().count(), r.err);
        assertTrue(r.err.startsWith("nnj help: unknown command 'bogus'"), r.err);
    }

    @Test
    void anEmptyTestSplitOrAMetricsDirectoryIsBadInputBeforeTraining(@TempDir Path dir) throws IOException {
        Idx.writeValid(dir);
        Files.write(dir.resolve(Idx.TEST_IMAGES), Idx.images(0x00000803, 0, new Random(3)));
        Files.write(dir.resolve(Idx.TEST_LABELS), Idx.labels(0, -1));
        Cli empty = Cli.run("train", "--data-dir", dir.toString(), "--epochs", "1", "--batch-size", "50");
        assertEquals(2, empty.code, empty::toString);
        assertTrue(empty.err.contains("the test split is empty"), empty.err);
        Cli metrics = Cli.run("train", "--epochs", "1", "--metrics", dir.toString());
        assertEquals(2, metrics.code, metrics::toString);
        assertEquals("nnj train: option --metrics " + dir + ": expected a regular file, found a directory; name a "
                + "file (see ./nnj help train)", metrics.err.strip());
        assertFalse(metrics.out.contains("epoch"), "refused before training:\n" + metrics.out);
    }

    @Test
    void commandHelpListsItsOptions() {
        Cli r = Cli.run("train", "--help");
        assertEquals(0, r.code, r::toString);
        for (String o : new String[] {"--data-dir", "--epochs", "--batch-size", "--lr", "--hidden", "--seed", "--dtype",
                "--metrics", "--activation", "--threads"}) {
            assertTrue(r.out.contains(o), o + " in\n" + r.out);
        }
    }

    @Test
    void applePrintsTheBooksNumbers() {
        Cli r = Cli.run("apple");
        assertEquals(0, r.code, r::toString);
        assertEquals("", r.err);
        for (String number : new String[] {"220", "0.5", "2.2", "110", "200"}) {
            Pattern exact = Pattern.compile("(?<![\\d.])" + Pattern.quote(number) + "(?![\\d.])");
            assertTrue(exact.matcher(r.out).find(), number + " in\n" + r.out);
        }
        String last = r.out.lines().reduce((a, b) -> b).orElse("");
        assertEquals("result: y 220, L 0.5, dprice 2.2, dcount 110, dtax 200", last);
        assertFalse(Pattern.compile("\\d\\.\\d{8,}").matcher(r.out).find(), "no unrounded float64 noise:\n" + r.out);
    }

    @Test
    void numbersAreRoundedOnlyBeyondFloat64Noise() {
        assertEquals("2.2", AppleCommand.n(1.1 * 2));
        assertEquals("2.2", AppleCommand.n(2.2000000000000006));
        assertEquals("220", AppleCommand.n(200 * 1.1));
        assertEquals("0.5", AppleCommand.n(0.5));
        assertEquals("0", AppleCommand.n(0.0));
        assertEquals("0.001234", AppleCommand.n(0.001234));
    }

    @Test
    void listShowsEveryKindAndTheCustomLayer() {
        Cli r = Cli.run("list");
        assertEquals(0, r.code, r::toString);
        for (String s : new String[] {"layers:", "losses:", "optimizers:", "datasets:", "backends:", "affine", "relu",
                "sigmoid", "softmax-cross-entropy", "squared-error", "sgd", "mnist", "fashion-mnist", "cpu",
                "org.nnj.examples.plugin.SwishProvider"}) {
            assertTrue(r.out.contains(s), s + " in\n" + r.out);
        }
        assertTrue(Pattern.compile("(?m)^\\s+swish\\s+org\\.nnj\\.examples\\.plugin\\.SwishProvider\\s+\\S")
                .matcher(r.out).find(), r.out);
    }

    @Test
    void shortSourceKeepsTheJarOrTheModuleDirectory() {
        assertEquals("nnj.jar", ListCommand.shortSource("file:/work/main/nn-examples/target/nnj.jar"));
        assertEquals("nn-layers/target/classes", ListCommand.shortSource("file:/work/main/nn-layers/target/classes/"));
        assertEquals("?", ListCommand.shortSource(""));
    }

    @ParameterizedTest
    @ValueSource(strings = {"frobnicate", "train --epochs", "train --epochs abc", "train --epochs 0", "train --lr -1",
            "train --lr nan", "train --dtype float16", "train --bogus 1", "train stray", "train --seed 1 --seed 2",
            "gradcheck --samples x", "apple extra", "list --x 1"})
    void badUsageExitsTwoWithOneLine(String line) {
        Cli r = Cli.run(line.split(" "));
        assertEquals(2, r.code, r::toString);
        assertEquals(1, r.errLines().size(), r::toString);
        assertFalse(r.err.contains("\tat "), "no stack trace:\n" + r.err);
    }

    @Test
    void verboseAddsTheStackTrace() {
        Cli r = Cli.run("train", "--activation", "no-such-layer", "--verbose");
        assertEquals(2, r.code, r::toString);
        assertTrue(r.err.contains("\tat "), r.err);
    }

    @Test
    void unknownActivationNamesTheKnownLayers() {
        Cli r = Cli.run("train", "--activation", "tanhh");
        assertEquals(2, r.code, r::toString);
        assertEquals(1, r.errLines().size(), r::toString);
        assertTrue(r.err.contains("tanhh") && r.err.contains("relu") && r.err.contains("swish"), r.err);
    }

    @Test
    void missingDirectoryExitsTwoNamingIt(@TempDir Path tmp) {
        Path missing = tmp.resolve("no-such-dir");
        Cli r = Cli.run("train", "--data-dir", missing.toString());
        assertEquals(2, r.code, r::toString);
        assertEquals(1, r.errLines().size(), r::toString);
        assertTrue(r.err.contains(missing.toString()), r.err);
    }

    @ParameterizedTest
    @ValueSource(strings = {"wrong-magic", "truncated", "count-mismatch", "label-out-of-range", "missing-file"})
    void corruptFilesExitTwoNamingTheFile(String defect, @TempDir Path dir) throws IOException {
        Idx.writeValid(dir);
        String file;
        switch (defect) {
            case "wrong-magic":
                file = Idx.TRAIN_IMAGES;
                Files.write(dir.resolve(file), Idx.images(0x00000801, 200, new Random(2)));
                break;
            case "truncated":
                file = Idx.TEST_IMAGES;
                byte[] full = Files.readAllBytes(dir.resolve(file));
                Files.write(dir.resolve(file), Arrays.copyOf(full, full.length - 100));
                break;
            case "count-mismatch":
                file = Idx.TRAIN_LABELS;
                Files.write(dir.resolve(file), Idx.labels(199, -1));
                break;
            case "label-out-of-range":
                file = Idx.TEST_LABELS;
                Files.write(dir.resolve(file), Idx.labels(50, 10));
                break;
            default:
                file = Idx.TEST_LABELS;
                Files.delete(dir.resolve(file));
        }
        Cli r = Cli.run("train", "--data-dir", dir.toString(), "--epochs", "1");
        assertEquals(2, r.code, r::toString);
        assertEquals(1, r.errLines().size(), r::toString);
        assertTrue(r.err.contains(file), defect + ": the message names " + file + ":\n" + r.err);
        assertFalse(r.err.contains("\tat "), r.err);
    }

    @Test
    void validSmallDirectoryTrains(@TempDir Path dir) throws IOException {
        Idx.writeValid(dir);
        Cli r = Cli.run("train", "--data-dir", dir.toString(), "--epochs", "1", "--batch-size", "50");
        assertEquals(0, r.code, r::toString);
        assertTrue(r.out.contains("200 training / 50 test"), r.out);
    }
}
