package org.nnj.data.mnist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nnj.data.mnist.IdxReaderTest.assertMessage;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.nnj.api.DataFormatException;
import org.nnj.api.Shape;
import org.nnj.api.data.DataSplit;
import org.nnj.api.data.Dataset;

class MnistLoaderTest {
    private final Random random = new Random(7L);

    @TempDir
    Path dir;

    @Test
    void embeddedSampleHoldsTheDocumentedRealDigits() {
        Dataset ds = MnistLoader.embeddedSample();
        assertEquals("mnist (embedded sample)", ds.description());
        // Values printed by nn-data-mnist/tools/make_mnist_sample.py and recorded in the sample's README.
        assertSplit(ds.train(), 8000, new int[] {782, 921, 781, 832, 805, 679, 789, 853, 775, 783},
                0x3db99ee6L, 209_314_564L, 0xeeb9f50cL, new int[] {1, 6, 9, 1, 1, 1, 4, 5, 5, 6});
        assertSplit(ds.test(), 2000, new int[] {219, 206, 210, 200, 175, 184, 225, 217, 169, 195},
                0x2d817573L, 52_832_036L, 0x2bca60dcL, new int[] {7, 4, 3, 5, 6, 5, 8, 5, 9, 1});
    }

    @Test
    void embeddedSampleLooksLikeHandwrittenDigits() {
        DataSplit train = MnistLoader.embeddedSample().train();
        // MNIST digits are centred in a 20x20 box: the 4-pixel border is (almost) always blank, the centre is not.
        long border = 0;
        long centre = 0;
        for (int i = 0; i < train.size(); i++) {
            MnistSplit s = (MnistSplit) train;
            border += s.pixel(i, 0) + s.pixel(i, 27) + s.pixel(i, 27 * 28) + s.pixel(i, 783);
            centre += s.pixel(i, 14 * 28 + 14);
        }
        assertEquals(0, border);
        assertTrue(centre / train.size() > 60, "mean centre pixel " + centre / train.size());
    }

    @Test
    void embeddedSampleCanKeepImagesTwoDimensional() {
        Dataset ds = MnistLoader.embeddedSample(false);
        assertEquals(Shape.of(1, 28, 28), ds.train().sampleShape());
        assertEquals(Shape.of(1, 28, 28), ds.test().sampleShape());
        assertEquals(Shape.of(784), MnistLoader.embeddedSample(true).test().sampleShape());
    }

    @Test
    void directoryWithStandardNamesMixedRawAndGzipLoads() throws IOException {
        Fixture f = writeDirectory(dir, new String[] {
            "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte.gz"},
            12, 5);
        Dataset ds = MnistLoader.fromDirectory(dir);
        assertEquals(12, ds.train().size());
        assertEquals(5, ds.test().size());
        assertEquals(10, ds.train().numClasses());
        assertEquals(Shape.of(784), ds.train().sampleShape());
        for (int i = 0; i < 12; i++) {
            assertEquals(f.trainLabels[i], ds.train().label(i));
            assertEquals(f.trainPixels[i * 784 + 300] & 0xFF, ((MnistSplit) ds.train()).pixel(i, 300));
        }
        for (int i = 0; i < 5; i++) {
            assertEquals(f.testLabels[i], ds.test().label(i));
        }
        assertTrue(ds.description().contains(dir.toString()), ds.description());
    }

    @Test
    void directoryWithDottedNamesLoads() throws IOException {
        writeDirectory(dir, new String[] {
            "train-images.idx3-ubyte", "train-labels.idx1-ubyte", "t10k-images.idx3-ubyte.gz", "t10k-labels.idx1-ubyte"},
            3, 2);
        Dataset ds = MnistLoader.fromDirectory(dir, false, "mnist");
        assertEquals(3, ds.train().size());
        assertEquals(Shape.of(1, 28, 28), ds.test().sampleShape());
    }

    @Test
    void missingDirectoryNamesThePathAndTheExpectedFiles() {
        Path missing = dir.resolve("not-there");
        assertMessage(() -> MnistLoader.fromDirectory(missing), missing, "expected a directory holding",
                "train-images-idx3-ubyte[.gz]", "t10k-labels-idx1-ubyte[.gz]", "found nothing");
    }

    @Test
    void missingFileNamesTheDirectoryTheExpectedNameAndWhatIsThere() throws IOException {
        writeDirectory(dir, new String[] {
            "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"},
            2, 2);
        Files.delete(dir.resolve("t10k-labels-idx1-ubyte"));
        assertMessage(() -> MnistLoader.fromDirectory(dir), dir, "expected t10k-labels-idx1-ubyte[.gz]",
                "t10k-labels.idx1-ubyte[.gz]", "found t10k-images-idx3-ubyte, train-images-idx3-ubyte");
    }

    @Test
    void aDirectoryUnderAFilesNameIsCalledADirectory() throws IOException {
        writeDirectory(dir, new String[] {
            "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"},
            2, 2);
        Files.delete(dir.resolve("t10k-labels-idx1-ubyte"));
        Path odd = Files.createDirectory(dir.resolve("t10k-labels-idx1-ubyte.gz"));
        DataFormatException e = assertThrows(DataFormatException.class, () -> MnistLoader.fromDirectory(dir));
        assertEquals(odd + ": expected the IDX file t10k-labels-idx1-ubyte[.gz], found a directory", e.getMessage());

        // a regular file under another accepted name is still read
        IdxWriter.writeLabels(dir.resolve("t10k-labels.idx1-ubyte"), new byte[] {4, 2}, false);
        assertEquals(4, MnistLoader.fromDirectory(dir).test().label(0));
    }

    @Test
    void withBothTheRawFileAndItsGzipTheRawOneIsReadAndTheLogSaysSo() throws IOException {
        writeDirectory(dir, new String[] {
            "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"},
            2, 2);
        IdxWriter.writeLabels(dir.resolve("t10k-labels-idx1-ubyte"), new byte[] {7, 1}, false);
        IdxWriter.writeLabels(dir.resolve("t10k-labels-idx1-ubyte.gz"), new byte[] {3, 5}, true);
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger logger = context.getLogger(MnistLoader.class);
        Level before = logger.getLevel();
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.setContext(context);
        log.start();
        logger.addAppender(log);
        logger.setLevel(Level.INFO);
        try {
            Dataset ds = MnistLoader.fromDirectory(dir);
            assertEquals(7, ds.test().label(0));
            assertEquals(1, ds.test().label(1));
        } finally {
            logger.detachAppender(log);
            logger.setLevel(before);
        }
        List<String> chosen = log.list.stream().filter(e -> e.getLevel() == Level.INFO)
                .map(ILoggingEvent::getFormattedMessage).filter(m -> m.contains("also present")).toList();
        assertEquals(List.of(dir + ": reading t10k-labels-idx1-ubyte for t10k-labels-idx1-ubyte[.gz]; also present "
                + "and not read: t10k-labels-idx1-ubyte.gz (a raw file is read before its .gz, the standard name "
                + "before the dotted one)"), chosen);
    }

    @Test
    void imageAndLabelCountsThatDisagreeAreRejected() throws IOException {
        writeDirectory(dir, new String[] {
            "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"},
            6, 2);
        Path labels = IdxBytes.write(dir.resolve("train-labels-idx1-ubyte"), IdxBytes.labels(new byte[5]));
        assertMessage(() -> MnistLoader.fromDirectory(dir), labels, "label count", "expected 6", "found 5",
                "train-images-idx3-ubyte");
    }

    @Test
    void trainAndTestImagesOfDifferentSizesAreRejected() throws IOException {
        writeDirectory(dir, new String[] {
            "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"},
            2, 2);
        Path test = dir.resolve("t10k-images-idx3-ubyte");
        IdxWriter.writeImages(test, 2, 14, 14, new byte[2 * 196], false);
        assertMessage(() -> MnistLoader.fromDirectory(dir), test, "image size", "expected 28x28", "found 14x14");
    }

    @Test
    void aCorruptFileInTheDirectoryIsNamed() throws IOException {
        writeDirectory(dir, new String[] {
            "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"},
            2, 2);
        Path labels = IdxBytes.write(dir.resolve("train-labels-idx1-ubyte"), IdxBytes.labels(new byte[] {3, 11}));
        assertMessage(() -> MnistLoader.fromDirectory(dir), labels, "label 1", "expected 0 to 9", "found 11");
    }

    private void assertSplit(DataSplit split, int size, int[] perClass, long pixelCrc, long pixelSum, long labelCrc,
            int[] firstLabels) {
        assertEquals(size, split.size());
        assertEquals(10, split.numClasses());
        assertEquals(Shape.of(784), split.sampleShape());
        int[] counts = new int[10];
        CRC32 labels = new CRC32();
        CRC32 pixels = new CRC32();
        long sum = 0;
        byte[] row = new byte[784];
        MnistSplit s = (MnistSplit) split;
        for (int i = 0; i < size; i++) {
            counts[split.label(i)]++;
            labels.update(split.label(i));
            for (int k = 0; k < 784; k++) {
                row[k] = (byte) s.pixel(i, k);
                sum += row[k] & 0xFF;
            }
            pixels.update(row);
        }
        assertArrayEquals(perClass, counts);
        assertEquals(pixelCrc, pixels.getValue());
        assertEquals(pixelSum, sum);
        assertEquals(labelCrc, labels.getValue());
        for (int i = 0; i < firstLabels.length; i++) {
            assertEquals(firstLabels[i], split.label(i));
        }
    }

    /** Random 28x28 images and labels under the given four names (a .gz suffix means gzipped). */
    private Fixture writeDirectory(Path target, String[] names, int train, int test) throws IOException {
        Files.createDirectories(target);
        Fixture f = new Fixture();
        f.trainPixels = IdxBytes.randomBytes(random, train * 784);
        f.trainLabels = IdxBytes.randomLabels(random, train, 10);
        f.testPixels = IdxBytes.randomBytes(random, test * 784);
        f.testLabels = IdxBytes.randomLabels(random, test, 10);
        IdxWriter.writeImages(target.resolve(names[0]), train, 28, 28, f.trainPixels, names[0].endsWith(".gz"));
        IdxWriter.writeLabels(target.resolve(names[1]), f.trainLabels, names[1].endsWith(".gz"));
        IdxWriter.writeImages(target.resolve(names[2]), test, 28, 28, f.testPixels, names[2].endsWith(".gz"));
        IdxWriter.writeLabels(target.resolve(names[3]), f.testLabels, names[3].endsWith(".gz"));
        return f;
    }

    private static final class Fixture {
        byte[] trainPixels;
        byte[] trainLabels;
        byte[] testPixels;
        byte[] testLabels;
    }
}
