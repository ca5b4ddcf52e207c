package org.nnj.data.mnist;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipException;
import org.nnj.api.DataFormatException;

/**
 * Reads IDX files of unsigned bytes (the MNIST format), either raw or gzip-compressed; gzip is recognised by its magic
 * bytes {@code 1f 8b}, not by the file name.
 *
 * <p>Every check happens before the pixel array is allocated where it can: the header's sizes must not overflow and
 * must fit in the file (for gzip, in what the compressed file could possibly expand to), so a corrupt header claiming
 * two billion images fails at once instead of exhausting memory. Any problem is a {@link DataFormatException} whose
 * one-line message names the file and what was expected versus found.
 *
 * <p>Stateless and thread-safe. Stability: evolving.
 */
public final class IdxReader {

    /** Type byte of unsigned 8-bit data, the only type MNIST uses. */
    static final int TYPE_UBYTE = 0x08;

    /**
     * Deflate cannot expand data by more than about 1032:1, so a gzip file of {@code n} bytes decompresses to at most
     * {@code n · 1032} bytes; a header declaring more is rejected before allocating.
     */
    static final long MAX_DEFLATE_RATIO = 1032;

    /** The largest array the JVM reliably allocates. */
    static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    private static final int GZIP_MAGIC_1 = 0x1f;
    private static final int GZIP_MAGIC_2 = 0x8b;

    private IdxReader() {
    }

    /**
     * Reads an image file ({@code 00 00 08 03}, then count, rows, cols).
     *
     * @throws DataFormatException naming the file if it is missing, unreadable, truncated, corrupt or inconsistent
     */
    public static IdxImages readImages(Path file) {
        try (InputStream in = open(file)) {
            return readImages(file.toString(), in, Files.size(file));
        } catch (IOException e) {
            throw new DataFormatException(file + ": cannot read (" + e + ")", e);
        }
    }

    /**
     * Reads a label file ({@code 00 00 08 01}, then count) and checks every label lies in {@code [0, numClasses)}.
     *
     * @throws DataFormatException naming the file if it is missing, unreadable, truncated, corrupt, inconsistent or
     *                             holds a label out of range
     */
    public static byte[] readLabels(Path file, int numClasses) {
        try (InputStream in = open(file)) {
            return readLabels(file.toString(), in, Files.size(file), numClasses);
        } catch (IOException e) {
            throw new DataFormatException(file + ": cannot read (" + e + ")", e);
        }
    }

    /**
     * Reads an image file from a stream of known length (e.g. a classpath resource read into memory).
     *
     * @param name   names the source in messages
     * @param length the number of bytes {@code in} holds (compressed, if gzip): bounds what the header may declare
     */
    public static IdxImages readImages(String name, InputStream in, long length) {
        Body body = read(name, in, length, 3, "image");
        long rows = body.dims[1];
        long cols = body.dims[2];
        if (rows == 0 || cols == 0) {
            throw new DataFormatException(name + ": image size: expected at least 1x1, found " + rows + "x" + cols);
        }
        return new IdxImages((int) body.dims[0], (int) rows, (int) cols, body.data);
    }

    /**
     * Reads a label file from a stream of known length and checks every label lies in {@code [0, numClasses)}.
     *
     * @param name   names the source in messages
     * @param length the number of bytes {@code in} holds (compressed, if gzip)
     */
    public static byte[] readLabels(String name, InputStream in, long length, int numClasses) {
        byte[] labels = read(name, in, length, 1, "label").data;
        for (int i = 0; i < labels.length; i++) {
            int label = labels[i] & 0xFF;
            if (label >= numClasses) {
                throw new DataFormatException(name + ": label " + i + ": expected 0 to " + (numClasses - 1)
                        + ", found " + label);
            }
        }
        return labels;
    }

    private static InputStream open(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new DataFormatException(file + ": expected an IDX file, found nothing at that path");
        }
        if (!Files.isRegularFile(file)) {
            throw new DataFormatException(file + ": expected an IDX file, found a directory or special file");
        }
        return Files.newInputStream(file);
    }

    /** The dimensions and payload of a file. */
    private static final class Body {
        final long[] dims;
        final byte[] data;

        Body(long[] dims, byte[] data) {
            this.dims = dims;
            this.data = data;
        }
    }

    private static Body read(String name, InputStream raw, long length, int expectedDims, String what) {
        try {
            BufferedInputStream buffered = new BufferedInputStream(raw, 1 << 16);
            buffered.mark(2);
            int b0 = buffered.read();
            int b1 = buffered.read();
            buffered.reset();
            boolean gzip = b0 == GZIP_MAGIC_1 && b1 == GZIP_MAGIC_2;
            InputStream in = gzip ? new StrictGzipInputStream(buffered, 1 << 16) : buffered;
            return parse(name, in, length, gzip, expectedDims, what);
        } catch (EOFException | ZipException e) {
            throw new DataFormatException(name + ": gzip stream: expected a complete, intact stream, found "
                    + (e instanceof EOFException ? "it ends early" : "corrupt data") + " (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new DataFormatException(name + ": cannot read (" + e + ")", e);
        }
    }

    private static Body parse(String name, InputStream in, long length, boolean gzip, int expectedDims, String what)
            throws IOException {
        String kind = gzip ? "gzip-compressed IDX" : "IDX";
        byte[] magic = in.readNBytes(4);
        if (magic.length < 4) {
            throw new DataFormatException(name + ": header: expected a 4-byte " + kind + " magic number, found "
                    + magic.length + " bytes");
        }
        String expectedMagic = String.format("00 00 08 %02x", expectedDims);
        if (magic[0] != 0 || magic[1] != 0) {
            throw new DataFormatException(name + ": magic number: expected " + expectedMagic + " (" + kind + " " + what
                    + " file), found " + hex(magic));
        }
        if ((magic[2] & 0xFF) != TYPE_UBYTE) {
            throw new DataFormatException(name + ": data type: expected 0x08 (unsigned byte), found "
                    + String.format("0x%02x", magic[2] & 0xFF));
        }
        if ((magic[3] & 0xFF) != expectedDims) {
            throw new DataFormatException(name + ": dimension count: expected " + expectedDims + " (" + what
                    + " file), found " + (magic[3] & 0xFF));
        }
        byte[] sizes = in.readNBytes(4 * expectedDims);
        if (sizes.length < 4 * expectedDims) {
            throw new DataFormatException(name + ": header: expected " + (4 + 4 * expectedDims) + " bytes, found "
                    + (4 + sizes.length));
        }
        long[] dims = new long[expectedDims];
        for (int d = 0; d < expectedDims; d++) {
            dims[d] = ((sizes[4 * d] & 0xFFL) << 24) | ((sizes[4 * d + 1] & 0xFFL) << 16)
                    | ((sizes[4 * d + 2] & 0xFFL) << 8) | (sizes[4 * d + 3] & 0xFFL);
        }
        long payload = 1;
        boolean overflow = false;
        for (long dim : dims) {
            // Each factor is below 2^32 and the product is kept at most MAX_ARRAY (< 2^31): no long overflow.
            payload *= dim;
            overflow |= dim > MAX_ARRAY || payload > MAX_ARRAY;
            payload = Math.min(payload, MAX_ARRAY + 1);
        }
        if (overflow) {
            throw new DataFormatException(name + ": header sizes " + dimsText(dims, expectedDims)
                    + ": expected at most " + MAX_ARRAY + " bytes of data (the largest Java array), found a product"
                    + " that overflows it");
        }
        // One image must fit an array by itself, even when there are none and the product above is 0: the loader
        // computes rows · cols as an int (found by IdxReaderFuzzTest: 0 images of 65536x65536 made samples of size 0).
        long itemSize = 1;
        for (int d = 1; d < expectedDims; d++) {
            itemSize = Math.min(itemSize * dims[d], MAX_ARRAY + 1);
        }
        if (itemSize > MAX_ARRAY) {
            throw new DataFormatException(name + ": header sizes " + dimsText(dims, expectedDims) + ": expected one "
                    + what + " of at most " + MAX_ARRAY + " bytes (the largest Java array), found one that exceeds it");
        }
        long headerLength = 4 + 4L * expectedDims;
        long available = gzip ? length * MAX_DEFLATE_RATIO : length - headerLength;
        if (payload > available) {
            throw new DataFormatException(name + ": header declares " + dimsText(dims, expectedDims) + " = " + payload
                    + " bytes of data, "
                    + (gzip ? "more than a gzip file of " + length + " bytes can expand to (" + available + ")"
                            : "found only " + available + " bytes after the header (truncated)"));
        }
        byte[] data = in.readNBytes((int) payload);
        if (data.length < payload) {
            throw new DataFormatException(name + ": data: expected " + payload + " bytes after the header ("
                    + dimsText(dims, expectedDims) + "), found " + data.length + " (truncated)");
        }
        long trailing = countRemaining(in);
        if (trailing > 0) {
            throw new DataFormatException(name + ": file size: expected " + (headerLength + payload) + " bytes"
                    + (gzip ? " decompressed" : "") + ", found " + trailing + " trailing bytes after the data");
        }
        return new Body(dims, data);
    }

    private static long countRemaining(InputStream in) throws IOException {
        long n = 0;
        byte[] buf = new byte[8192];
        for (int r; (r = in.read(buf)) != -1; ) {
            n += r;
        }
        return n;
    }

    private static String hex(byte[] bytes) {
        StringBuilder b = new StringBuilder();
        for (byte x : bytes) {
            if (b.length() > 0) {
                b.append(' ');
            }
            b.append(String.format("%02x", x & 0xFF));
        }
        return b.toString();
    }

    private static String dimsText(long[] dims, int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                b.append('x');
            }
            b.append(dims[i]);
        }
        return b.toString();
    }
}
