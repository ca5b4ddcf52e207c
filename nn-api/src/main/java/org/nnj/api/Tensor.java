package org.nnj.api;

/**
 * An n-dimensional array of {@link DType#FLOAT32} or {@link DType#FLOAT64} numbers, stored row-major and owned by the
 * {@link Backend} that created it. All arithmetic goes through that backend's operations; the element accessors here
 * are for tests, numerical gradients and small bookkeeping, not for hot loops.
 *
 * <p>Tensors are mutable: backend operations write into tensors that layers keep and reuse from one step to the next.
 * A tensor returned by {@link Layer#forward} or {@link Layer#backward} belongs to the layer and is overwritten by its
 * next call; copy it ({@link Backend#copy}) to keep it.
 *
 * <p>Not thread-safe. Stability: stable.
 */
public interface Tensor {

    /** The dimensions, batch axis first. Never null. */
    Shape shape();

    /** The element type. Never null. */
    DType dtype();

    /** The backend that owns this tensor's storage; operations on it must go through this backend. */
    Backend backend();

    /** Number of elements. */
    default int size() {
        return shape().size();
    }

    /**
     * The element at flat row-major position {@code index}, widened to double.
     *
     * @throws IndexOutOfBoundsException if {@code index} is not in {@code [0, size())}
     */
    double get(int index);

    /**
     * Sets the element at flat row-major position {@code index} (rounded to float for {@link DType#FLOAT32}).
     *
     * @throws IndexOutOfBoundsException if {@code index} is not in {@code [0, size())}
     */
    void set(int index, double value);

    /** The value of a tensor of size 1. @throws IllegalStateException if the tensor has more than one element */
    default double item() {
        if (size() != 1) {
            throw new IllegalStateException("item() needs a tensor of one element, not shape " + shape());
        }
        return get(0);
    }

    /** A fresh copy of all elements, widened to double, row-major. */
    double[] toDoubleArray();

    /**
     * A tensor of another shape with the same number of elements that shares this tensor's storage: writing through
     * either is seen by both.
     *
     * @throws ShapeException if the sizes differ
     */
    Tensor reshape(Shape shape);
}
