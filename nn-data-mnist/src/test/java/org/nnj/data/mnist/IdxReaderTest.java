package org.nnj.data.mnist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nnj.data.mnist.IdxBytes.concat;
import static org.nnj.data.mnist.IdxBytes.gzip;
import static org.nnj.data.mnist.IdxBytes.header;
import static org.nnj.data.mnist.IdxBytes.write;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nnj.api.DataFormatException;

class IdxReaderTest {
    private final Random random = new Random(20240601L);

    @TempDir
    Path dir;

    @ParameterizedTest(name = "gzip={0}")
    @ValueSource(booleans = {false, true})
    void writtenFilesReadBackIdentically(boolean gzip) {
        byte[] pixels = IdxBytes.randomBytes(random, 7 * 5 * 3);
        byte[] labels = IdxBytes.randomLabels(random, 7, 10);
        Path images = dir.resolve("images");
        Path labelFile = dir.resolve("labels");
        IdxWriter.writeImages(images, 7, 5, 3, pixels, gzip);
        IdxWriter.writeLabels(labelFile, labels, gzip);

        IdxImages read = IdxReader.readImages(images);
        assertEquals(7, read.count());
        assertEquals(5, read.rows());
        assertEquals(3, read.cols());
        assertArrayEquals(pixels, read.pixels());
        assertEquals(pixels[(4 * 5 + 2) * 3 + 1] & 0xFF, read.pixel(4, 2, 1));
        assertArrayEquals(labels, IdxReader.readLabels(labelFile, 10));
    }

    @Test
    void gzipIsRecognisedByItsMagicBytesNotByTheFileName() {
        byte[] pixels = IdxBytes.randomBytes(random, 2 * 4 * 4);
        Path gzipWithoutSuffix = write(dir.resolve("plain-name"), gzip(IdxBytes.images(2, 4, 4, pixels)));
        Path rawWithGzSuffix = write(dir.resolve("misleading.gz"), IdxBytes.images(2, 4, 4, pixels));
        assertArrayEquals(pixels, IdxReader.readImages(gzipWithoutSuffix).pixels());
        assertArrayEquals(pixels, IdxReader.readImages(rawWithGzSuffix).pixels());
    }

    @Test
    void emptyFilesHoldZeroSamples() {
        Path images = write(dir.resolve("images"), IdxBytes.images(0, 28, 28, new byte[0]));
        Path labels = write(dir.resolve("labels"), IdxBytes.labels(new byte[0]));
        assertEquals(0, IdxReader.readImages(images).count());
        assertEquals(0, IdxReader.readLabels(labels, 10).length);
    }

    @Test
    void missingFileIsNamed() {
        Path missing = dir.resolve("nope-idx3-ubyte");
        assertMessage(() -> IdxReader.readImages(missing), missing, "expected an IDX file", "found nothing");
    }

    @Test
    void directoryInsteadOfFileIsRejected() {
        assertMessage(() -> IdxReader.readLabels(dir, 10), dir, "expected an IDX file", "found a directory");
    }

    @ParameterizedTest(name = "gzip={0}")
    @ValueSource(booleans = {false, true})
    void wrongMagicIsRejected(boolean gzip) {
        Path f = file("magic", concat(header(1, 2, 8, 3, 1, 1, 1), new byte[1]), gzip);
        assertMessage(() -> IdxReader.readImages(f), f, "magic number", "expected 00 00 08 03", "found 01 02 08 03");
    }

    @Test
    void foreignFileIsRejectedByItsMagic() {
        Path png = write(dir.resolve("image.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0});
        assertMessage(() -> IdxReader.readImages(png), png, "expected 00 00 08 03", "found 89 50 4e 47");
    }

    @Test
    void wrongDataTypeIsRejected() {
        Path f = write(dir.resolve("floats"), concat(header(0, 0, 0x0D, 3, 1, 1, 1), new byte[4]));
        assertMessage(() -> IdxReader.readImages(f), f, "data type", "expected 0x08", "found 0x0d");
    }

    @Test
    void wrongDimensionCountIsRejectedForImagesAndLabels() {
        Path labelsAsImages = write(dir.resolve("a"), IdxBytes.labels(new byte[] {1, 2}));
        assertMessage(() -> IdxReader.readImages(labelsAsImages), labelsAsImages, "dimension count",
                "expected 3", "found 1");
        Path imagesAsLabels = write(dir.resolve("b"), IdxBytes.images(1, 1, 1, new byte[1]));
        assertMessage(() -> IdxReader.readLabels(imagesAsLabels, 10), imagesAsLabels, "dimension count",
                "expected 1", "found 3");
    }

    @Test
    void shortHeaderIsRejected() {
        Path tiny = write(dir.resolve("tiny"), new byte[] {0, 0});
        assertMessage(() -> IdxReader.readImages(tiny), tiny, "expected a 4-byte", "found 2 bytes");
        Path cut = write(dir.resolve("cut"), Arrays.copyOf(header(0, 0, 8, 3, 1, 28, 28), 10));
        assertMessage(() -> IdxReader.readImages(cut), cut, "expected 16 bytes", "found 10");
        Path empty = write(dir.resolve("empty"), new byte[0]);
        assertMessage(() -> IdxReader.readLabels(empty, 10), empty, "found 0 bytes");
    }

    @Test
    void headerWhoseSizesOverflowIsRejectedWithoutAllocating() {
        // 2^31-1 images of 28x28 would be 1.7 TB: the 20-byte file must be refused from its header alone.
        Path f = write(dir.resolve("huge"), concat(header(0, 0, 8, 3, Integer.MAX_VALUE, 28, 28), new byte[4]));
        assertEquals(20, f.toFile().length());
        assertTimeoutPreemptively(Duration.ofSeconds(2), () ->
                assertMessage(() -> IdxReader.readImages(f), f, "2147483647x28", "overflows"));
    }

    @Test
    void countAboveTwoToThe31IsRejectedAsOverflow() {
        Path f = write(dir.resolve("unsigned"), concat(header(0, 0, 8, 1, 0xFFFF_FFFFL), new byte[3]));
        assertMessage(() -> IdxReader.readLabels(f, 10), f, "4294967295", "overflows");
    }

    @Test
    void declaredSizeLargerThanTheRawFileIsRejectedBeforeAllocating() {
        // 1,000,000 images of 28x28 = 784 MB fits in an int, but the file holds only one image.
        Path f = write(dir.resolve("liar"), concat(header(0, 0, 8, 3, 1_000_000, 28, 28), new byte[784]));
        assertTimeoutPreemptively(Duration.ofSeconds(2), () ->
                assertMessage(() -> IdxReader.readImages(f), f, "784000000 bytes",
                        "found only 784 bytes after the header (truncated)"));
    }

    @Test
    void declaredSizeBeyondWhatTheGzipFileCanExpandToIsRejectedBeforeAllocating() {
        Path f = write(dir.resolve("liar.gz"), gzip(concat(header(0, 0, 8, 3, 1_000_000, 28, 28), new byte[784])));
        long length = f.toFile().length();
        assertTimeoutPreemptively(Duration.ofSeconds(2), () ->
                assertMessage(() -> IdxReader.readImages(f), f, "784000000 bytes",
                        "(" + length * IdxReader.MAX_DEFLATE_RATIO + ")", "gzip file of " + length));
    }

    @Test
    void truncatedDataIsRejected() {
        // Inside gzip the header passes the expansion bound, so the shortfall is found while reading.
        Path gz = write(dir.resolve("short.gz"), gzip(concat(header(0, 0, 8, 3, 100, 28, 28), new byte[99 * 784])));
        assertMessage(() -> IdxReader.readImages(gz), gz, "expected 78400 bytes", "found 77616", "truncated");
        Path raw = write(dir.resolve("short"), concat(header(0, 0, 8, 1, 60), new byte[59]));
        assertMessage(() -> IdxReader.readLabels(raw, 10), raw, "60 bytes", "found only 59 bytes");
    }

    @ParameterizedTest(name = "gzip={0}")
    @ValueSource(booleans = {false, true})
    void trailingBytesAreRejected(boolean gzip) {
        Path f = file("long", concat(header(0, 0, 8, 1, 3), new byte[] {1, 2, 3, 4, 5}), gzip);
        assertMessage(() -> IdxReader.readLabels(f, 10), f, "expected 11 bytes", "found 2 trailing bytes");
    }

    @Test
    void gzipStreamEndingEarlyIsADataFormatException() {
        byte[] whole = gzip(IdxBytes.images(50, 28, 28, IdxBytes.randomBytes(random, 50 * 784)));
        for (int keep : new int[] {2, 15, whole.length / 2, whole.length - 4}) {
            Path f = write(dir.resolve("cut-" + keep + ".gz"), Arrays.copyOf(whole, keep));
            DataFormatException e = assertThrows(DataFormatException.class, () -> IdxReader.readImages(f));
            assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
            assertTrue(e.getMessage().contains("ends early") || e.getMessage().contains("truncated"), e.getMessage());
        }
    }

    @Test
    void gzipStreamWithBadChecksumIsADataFormatException() {
        byte[] gz = gzip(IdxBytes.labels(new byte[] {1, 2, 3}));
        gz[gz.length - 8] ^= 0x5A; // first byte of the CRC-32 trailer
        Path f = write(dir.resolve("crc.gz"), gz);
        assertMessage(() -> IdxReader.readLabels(f, 10), f, "gzip stream", "expected a complete, intact stream",
                "corrupt");
    }

    @Test
    void bytesAfterTheGzipDataAreRejectedAndAppendedMembersRead() {
        byte[] gz = gzip(IdxBytes.labels(new byte[] {1, 2, 3}));
        // java.util.zip.GZIPInputStream would read this file as intact: it ignores what follows the last member
        Path junk = write(dir.resolve("junk.gz"), concat(gz, "garbage\n".getBytes(StandardCharsets.US_ASCII)));
        assertMessage(() -> IdxReader.readLabels(junk, 10), junk, "gzip stream", "corrupt data",
                "8 trailing bytes after the gzip data");
        Path one = write(dir.resolve("one.gz"), concat(gz, new byte[] {0}));
        assertMessage(() -> IdxReader.readLabels(one, 10), one, "1 trailing bytes after the gzip data");
        // a file compressed in two members (as `cat a.gz b.gz` makes) is one stream: header in one, data in the other
        byte[] whole = IdxBytes.labels(new byte[] {4, 5, 6});
        Path two = write(dir.resolve("two.gz"), concat(gzip(Arrays.copyOf(whole, 5)),
                gzip(Arrays.copyOfRange(whole, 5, whole.length))));
        assertArrayEquals(new byte[] {4, 5, 6}, IdxReader.readLabels(two, 10));
    }

    @Test
    void labelOutOfRangeIsRejectedWithItsPosition() {
        Path f = write(dir.resolve("labels"), IdxBytes.labels(new byte[] {0, 9, 10, 3}));
        assertMessage(() -> IdxReader.readLabels(f, 10), f, "label 2", "expected 0 to 9", "found 10");
        Path unsigned = write(dir.resolve("labels255"), IdxBytes.labels(new byte[] {(byte) 255}));
        assertMessage(() -> IdxReader.readLabels(unsigned, 10), unsigned, "found 255");
    }

    @Test
    void zeroImageSizeIsRejected() {
        Path f = write(dir.resolve("flat"), header(0, 0, 8, 3, 5, 0, 28));
        assertMessage(() -> IdxReader.readImages(f), f, "expected at least 1x1", "found 0x28");
    }

    private Path file(String name, byte[] content, boolean gzip) {
        return write(dir.resolve(name + (gzip ? ".gz" : "")), gzip ? gzip(content) : content);
    }

    /** The one-line message starts with the file's name and contains every fragment. */
    static void assertMessage(Executable action, Path file, String... fragments) {
        DataFormatException e = assertThrows(DataFormatException.class, action);
        String m = e.getMessage();
        assertTrue(m.startsWith(file.toString()), () -> "message does not start with the file: " + m);
        assertTrue(m.indexOf('\n') < 0, () -> "message is not one line: " + m);
        for (String f : fragments) {
            assertTrue(m.contains(f), () -> "message lacks '" + f + "': " + m);
        }
    }
}
