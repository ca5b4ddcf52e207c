package org.nnj.data.mnist;

import com.google.common.base.Preconditions;

/**
 * The content of an IDX image file: {@code count} images of {@code rows × cols} unsigned bytes, row-major, image
 * after image. Immutable. Stability: evolving.
 */
public final class IdxImages {
    private final int count;
    private final int rows;
    private final int cols;
    private final byte[] pixels;

    /** Takes ownership of {@code pixels}; used by the reader, which never shares the array. */
    IdxImages(int count, int rows, int cols, byte[] pixels) {
        Preconditions.checkArgument(count >= 0 && rows > 0 && cols > 0,
                "count %s must be >= 0, rows %s and cols %s > 0", count, rows, cols);
        Preconditions.checkArgument((long) count * rows * cols == pixels.length,
                "%s images of %sx%s need %s bytes, got %s", count, rows, cols, (long) count * rows * cols, pixels.length);
        this.count = count;
        this.rows = rows;
        this.cols = cols;
        this.pixels = pixels;
    }

    /** Number of images. */
    public int count() {
        return count;
    }

    /** Rows per image (28 for MNIST). */
    public int rows() {
        return rows;
    }

    /** Columns per image (28 for MNIST). */
    public int cols() {
        return cols;
    }

    /** The unsigned pixel at ({@code row}, {@code col}) of image {@code image}, 0–255. */
    public int pixel(int image, int row, int col) {
        java.util.Objects.checkIndex(image, count);
        java.util.Objects.checkIndex(row, rows);
        java.util.Objects.checkIndex(col, cols);
        return pixels[(image * rows + row) * cols + col] & 0xFF;
    }

    /** A copy of all pixels, {@code count · rows · cols} bytes. */
    public byte[] pixels() {
        return pixels.clone();
    }

    /** The pixels themselves, not copied: for this package only, which never modifies them. */
    byte[] sharedPixels() {
        return pixels;
    }
}
