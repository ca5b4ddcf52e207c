package org.nnj.api.data;

import java.util.Objects;
import org.nnj.api.DType;
import org.nnj.api.Shape;
import org.nnj.api.ShapeException;
import org.nnj.api.Tensor;

/**
 * A split held in memory as numbers, for data that comes from the caller rather than from a file nnj reads: features
 * of {@code n} samples, sample after sample in one row-major array, and a class index per sample.
 *
 * <p>Every value is checked when the split is made, so that bad data is refused where it enters, not found steps later
 * as a diverging loss: a NaN or infinite feature, or a label out of range, is an {@link IllegalArgumentException}
 * whose one-line message names the sample, the position within it and the value.
 *
 * <p>The arrays are copied. Immutable and safe to read from several threads. Stability: evolving.
 */
public final class ArraySplit implements DataSplit {
    private final Shape sampleShape;
    private final int rowLength;
    private final double[] features;
    private final int[] labels;
    private final int numClasses;

    /**
     * A split over copies of {@code features} and {@code labels}.
     *
     * @param sampleShape the shape of one sample, e.g. {@code (4)} or {@code (1, 28, 28)}
     * @param features    {@code labels.length · sampleShape.size()} finite values, sample after sample
     * @param labels      one class index per sample, each in {@code [0, numClasses)}
     * @param numClasses  the number of classes, at least 1
     * @throws IllegalArgumentException if the sizes do not match, a feature is NaN or infinite, or a label is out of
     *                                  range
     */
    public ArraySplit(Shape sampleShape, double[] features, int[] labels, int numClasses) {
        this.sampleShape = Objects.requireNonNull(sampleShape, "sampleShape");
        Objects.requireNonNull(features, "features");
        Objects.requireNonNull(labels, "labels");
        if (sampleShape.rank() == 0 || sampleShape.size() == 0) {
            throw new IllegalArgumentException("sample shape " + sampleShape + ": expected at least one value per "
                    + "sample");
        }
        if (numClasses < 1) {
            throw new IllegalArgumentException("numClasses is " + numClasses + ", expected at least 1");
        }
        this.rowLength = sampleShape.size();
        if ((long) labels.length * rowLength != features.length) {
            throw new IllegalArgumentException(labels.length + " samples of " + sampleShape + " need "
                    + (long) labels.length * rowLength + " feature values, got " + features.length);
        }
        for (int i = 0; i < features.length; i++) {
            if (!Double.isFinite(features[i])) {
                throw new IllegalArgumentException("sample " + i / rowLength + ": feature " + i % rowLength
                        + " of " + rowLength + " is " + features[i] + "; expected finite values (no NaN or "
                        + "infinity)");
            }
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= numClasses) {
                throw new IllegalArgumentException("sample " + i + ": label " + labels[i] + ", expected 0 to "
                        + (numClasses - 1));
            }
        }
        this.features = features.clone();
        this.labels = labels.clone();
        this.numClasses = numClasses;
    }

    /**
     * A split of flat samples, one row of {@code rows} per sample.
     *
     * @param rows   the samples' features, all rows of the same length, at least 1
     * @param labels one class index per row
     * @throws IllegalArgumentException as {@link #ArraySplit(Shape, double[], int[], int)}, or if there are no rows
     *                                  or they are not all of the same length
     */
    public static ArraySplit of(double[][] rows, int[] labels, int numClasses) {
        Objects.requireNonNull(rows, "rows");
        if (rows.length == 0) {
            throw new IllegalArgumentException("no rows: the length of a sample is unknown; use the constructor "
                    + "with a sample shape");
        }
        int d = rows[0].length;
        double[] flat = new double[Math.multiplyExact(rows.length, d)];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != d) {
                throw new IllegalArgumentException("sample " + i + " has " + rows[i].length + " features, sample 0 "
                        + "has " + d);
            }
            System.arraycopy(rows[i], 0, flat, i * d, d);
        }
        return new ArraySplit(Shape.of(d), flat, labels, numClasses);
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
        return labels[Objects.checkIndex(i, labels.length)];
    }

    /** The value at flat position {@code k} of sample {@code i}. */
    public double feature(int i, int k) {
        Objects.checkIndex(i, labels.length);
        Objects.checkIndex(k, rowLength);
        return features[i * rowLength + k];
    }

    /**
     * {@inheritDoc}
     *
     * <p>Targets of rank 1 receive class indices, of rank 2 one-hot rows.
     *
     * @throws IllegalArgumentException naming the sample if a feature is too large for a float32 batch
     */
    @Override
    public void gather(int[] indices, int from, int count, Tensor features, Tensor targets) {
        Objects.checkFromIndexSize(from, count, indices.length);
        if ((long) count * rowLength != features.size()) {
            throw new ShapeException("gather: features " + features.shape() + " do not fit a batch of " + count
                    + " samples of " + sampleShape + " (expected " + sampleShape.withBatch(count) + ")");
        }
        Shape t = targets.shape();
        boolean oneHot = t.rank() == 2 && t.dim(0) == count && t.dim(1) == numClasses;
        if (!(t.rank() == 1 && t.dim(0) == count) && !oneHot) {
            throw new ShapeException("gather: targets " + t + " do not fit a batch of " + count + " (expected ("
                    + count + ") for class indices or (" + count + ", " + numClasses + ") for one-hot rows)");
        }
        for (int r = 0; r < count; r++) {
            int i = indices[from + r];
            if (i < 0 || i >= labels.length) {
                throw new IndexOutOfBoundsException("gather: indices[" + (from + r) + "] = " + i
                        + " is not a sample of this split of " + labels.length);
            }
        }
        boolean float32 = features.dtype() == DType.FLOAT32;
        for (int r = 0; r < count; r++) {
            int i = indices[from + r];
            for (int k = 0; k < rowLength; k++) {
                double v = this.features[i * rowLength + k];
                if (float32 && !Float.isFinite((float) v)) {
                    throw new IllegalArgumentException("sample " + i + ": feature " + k + " of " + rowLength + " is "
                            + v + ", beyond the range of float32 (±" + Float.MAX_VALUE + "); scale the data or "
                            + "train in float64");
                }
                features.set(r * rowLength + k, v);
            }
            if (oneHot) {
                for (int c = 0; c < numClasses; c++) {
                    targets.set(r * numClasses + c, c == labels[i] ? 1 : 0);
                }
            } else {
                targets.set(r, labels[i]);
            }
        }
    }

    @Override
    public String toString() {
        return "ArraySplit[" + labels.length + " samples of " + sampleShape + ", " + numClasses + " classes]";
    }
}
