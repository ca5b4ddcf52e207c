package org.nnj.data.mnist;

import com.google.common.base.Preconditions;
import java.util.Objects;
import org.nnj.api.Shape;
import org.nnj.api.ShapeException;
import org.nnj.api.Tensor;
import org.nnj.api.data.DataSplit;

/**
 * A split of an MNIST-like data set kept as bytes: images of {@code rows × cols} unsigned pixels and one label byte
 * per image. Pixels become numbers only per batch, in {@link #gather}, through the batch tensor's backend
 * ({@link org.nnj.api.Backend#gatherBytes} with scale 1/255), so the whole split is never converted at once.
 *
 * <p>Samples have shape {@code (rows · cols)} when flattened, else {@code (1, rows, cols)} (one channel). Immutable and
 * safe to read from several threads. Stability: evolving.
 */
public final class MnistSplit implements DataSplit {
    private static final double PIXEL_SCALE = 1.0 / 255.0;

    private final byte[] images;
    private final byte[] labels;
    private final int rowLength;
    private final int numClasses;
    private final Shape sampleShape;

    /**
     * A split over copies of the given arrays.
     *
     * @param images     {@code labels.length · rows · cols} unsigned bytes, image after image, row-major
     * @param labels     one class index per image, each in {@code [0, numClasses)}
     * @param flatten    samples of shape {@code (rows · cols)} if true, {@code (1, rows, cols)} if false
     * @throws IllegalArgumentException if the sizes do not match or a label is out of range
     */
    public MnistSplit(byte[] images, byte[] labels, int rows, int cols, int numClasses, boolean flatten) {
        this(images.clone(), labels.clone(), rows, cols, numClasses, flatten, null);
    }

    /**
     * A split over the given arrays themselves, without copying: for the loader, which hands over arrays it read and
     * never touches again.
     */
    static MnistSplit wrap(byte[] images, byte[] labels, int rows, int cols, int numClasses, boolean flatten) {
        return new MnistSplit(images, labels, rows, cols, numClasses, flatten, null);
    }

    /** The constructor proper; {@code noCopy} only tells it apart from the public, copying one. */
    private MnistSplit(byte[] images, byte[] labels, int rows, int cols, int numClasses, boolean flatten, Void noCopy) {
        Preconditions.checkArgument(rows > 0 && cols > 0, "rows %s and cols %s must be positive", rows, cols);
        Preconditions.checkArgument(numClasses > 0 && numClasses <= 256, "numClasses %s must be in 1..256", numClasses);
        Preconditions.checkArgument((long) labels.length * rows * cols == images.length,
                "%s labels of %sx%s images need %s pixel bytes, got %s",
                labels.length, rows, cols, (long) labels.length * rows * cols, images.length);
        for (int i = 0; i < labels.length; i++) {
            int label = labels[i] & 0xFF;
            Preconditions.checkArgument(label < numClasses, "label %s is %s, expected 0 to %s", i, label, numClasses - 1);
        }
        this.images = images;
        this.labels = labels;
        this.rowLength = rows * cols;
        this.numClasses = numClasses;
        this.sampleShape = flatten ? Shape.of(rows * cols) : Shape.of(1, rows, cols);
    }

    @Override
    public int size() {
        return labels.length;
    }

    @Override
    public Shape sampleShape() {
        return sampleShape;
    }

    @Override
    public int numClasses() {
        return numClasses;
    }

    @Override
    public int label(int i) {
        return labels[Objects.checkIndex(i, labels.length)] & 0xFF;
    }

    /** The unsigned byte at flat position {@code k} of sample {@code i}, 0–255 (for tests and previews). */
    public int pixel(int i, int k) {
        Objects.checkIndex(i, labels.length);
        Objects.checkIndex(k, rowLength);
        return images[i * rowLength + k] & 0xFF;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Features become {@code pixel / 255}; targets of rank 1 receive class indices, of rank 2 one-hot rows.
     *
     * @throws IndexOutOfBoundsException if {@code from}/{@code count} do not lie in {@code indices} or an index is not
     *                                   a sample of this split
     */
    @Override
    public void gather(int[] indices, int from, int count, Tensor features, Tensor targets) {
        Objects.checkFromIndexSize(from, count, indices.length);
        if ((long) count * rowLength != features.size()) {
            throw new ShapeException("gather: features " + features.shape() + " do not fit a batch of " + count
                    + " samples of " + sampleShape + " (expected " + sampleShape.withBatch(count) + ")");
        }
        Shape t = targets.shape();
        boolean indicesFit = t.rank() == 1 && t.dim(0) == count;
        boolean oneHotFits = t.rank() == 2 && t.dim(0) == count && t.dim(1) == numClasses;
        if (!indicesFit && !oneHotFits) {
            throw new ShapeException("gather: targets " + t + " do not fit a batch of " + count + " (expected ("
                    + count + ") for class indices or (" + count + ", " + numClasses + ") for one-hot rows)");
        }
        for (int r = from; r < from + count; r++) {
            if (indices[r] < 0 || indices[r] >= labels.length) {
                throw new IndexOutOfBoundsException("gather: indices[" + r + "] = " + indices[r]
                        + " is not a sample of this split of " + labels.length);
            }
        }
        features.backend().gatherBytes(images, rowLength, indices, from, count, PIXEL_SCALE, features);
        targets.backend().gatherLabels(labels, indices, from, count, targets);
    }

    @Override
    public String toString() {
        return "MnistSplit[" + labels.length + " samples of " + sampleShape + ", " + numClasses + " classes]";
    }
}
