package org.nnj.data.mnist;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/** Hand-made IDX content for tests, including deliberately broken files. */
final class IdxBytes {

    private IdxBytes() {
    }

    /** A header: {@code 00 00 type ndims}, then each dimension as a big-endian 32-bit value. */
    static byte[] header(int b0, int b1, int type, int ndims, long... dims) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length);
        b.put((byte) b0).put((byte) b1).put((byte) type).put((byte) ndims);
        for (long d : dims) {
            b.putInt((int) d);
        }
        return b.array();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    static byte[] images(int count, int rows, int cols, byte[] pixels) {
        return concat(header(0, 0, 8, 3, count, rows, cols), pixels);
    }

    static byte[] labels(byte[] labels) {
        return concat(header(0, 0, 8, 1, labels.length), labels);
    }

    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static byte[] randomBytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    static byte[] randomLabels(Random random, int n, int classes) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) random.nextInt(classes);
        }
        return b;
    }

    static Path write(Path file, byte[] content) {
        try {
            return Files.write(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
