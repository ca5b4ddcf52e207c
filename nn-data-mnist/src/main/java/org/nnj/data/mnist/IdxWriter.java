package org.nnj.data.mnist;

import com.google.common.base.Preconditions;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/**
 * Writes IDX files of unsigned bytes, raw or gzip-compressed: the inverse of {@link IdxReader}, for tests, tools and
 * exporting data sets. Stateless and thread-safe. Stability: evolving.
 */
public final class IdxWriter {

    private IdxWriter() {
    }

    /**
     * Writes {@code count} images of {@code rows × cols} bytes.
     *
     * @param pixels {@code count · rows · cols} bytes, image after image, row-major
     * @param gzip   whether to gzip the file (whatever its name)
     * @throws IllegalArgumentException if the sizes do not match {@code pixels}
     * @throws UncheckedIOException     if the file cannot be written
     */
    public static void writeImages(Path file, int count, int rows, int cols, byte[] pixels, boolean gzip) {
        Preconditions.checkArgument(count >= 0 && rows > 0 && cols > 0, "bad sizes %s x %s x %s", count, rows, cols);
        Preconditions.checkArgument((long) count * rows * cols == pixels.length,
                "%s images of %sx%s need %s bytes, got %s", count, rows, cols, (long) count * rows * cols, pixels.length);
        write(file, gzip, new int[] {count, rows, cols}, pixels);
    }

    /**
     * Writes labels, one unsigned byte each.
     *
     * @param gzip whether to gzip the file (whatever its name)
     * @throws UncheckedIOException if the file cannot be written
     */
    public static void writeLabels(Path file, byte[] labels, boolean gzip) {
        write(file, gzip, new int[] {labels.length}, labels);
    }

    private static void write(Path file, boolean gzip, int[] dims, byte[] data) {
        try (OutputStream raw = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
             OutputStream body = gzip ? new GZIPOutputStream(raw, 1 << 16) : raw;
             DataOutputStream out = new DataOutputStream(body)) {
            out.writeInt((IdxReader.TYPE_UBYTE << 8) | dims.length);
            for (int d : dims) {
                out.writeInt(d);
            }
            out.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
