package org.nnj.api.data;

import org.nnj.api.Shape;
import org.nnj.api.Tensor;

/**
 * One split of a classification data set. Samples are served in mini-batches gathered by index straight into
 * tensors the caller keeps, so that the whole data set is never copied or converted at once.
 *
 * <p>Implementations are immutable and safe to read from several threads. Stability: stable.
 */
public interface DataSplit {

    /** Number of samples. */
    int size();

    /** Shape of one sample, e.g. {@code (784)} flattened or {@code (1, 28, 28)}. */
    Shape sampleShape();

    /** Number of classes; labels lie in {@code [0, numClasses())}. */
    int numClasses();

    /** The class index of sample {@code i}. */
    int label(int i);

    /**
     * Writes samples {@code indices[from] … indices[from + count − 1]} into a batch.
     *
     * @param features shape {@code (count, sampleShape...)}, or any shape whose row-major matrix view is
     *                 {@code count × sampleShape().size()}; pixels scaled to [0, 1]
     * @param targets  shape {@code (count)} for class indices, or {@code (count, numClasses())} for one-hot rows
     * @throws org.nnj.api.ShapeException if a tensor does not fit
     * @throws IndexOutOfBoundsException if an index is outside {@code [0, size())}
     */
    void gather(int[] indices, int from, int count, Tensor features, Tensor targets);
}
