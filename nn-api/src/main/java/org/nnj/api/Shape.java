package org.nnj.api;

import java.util.Arrays;

/**
 * The immutable dimensions of a tensor, outermost first (row-major). A shape of rank 0 is a scalar of size 1.
 * By convention the first axis of a batch is the batch axis: a batch of 100 flattened MNIST images is {@code (100, 784)}.
 *
 * <p>Stability: stable.
 */
public final class Shape {
    private static final Shape SCALAR = new Shape(new int[0]);
    private final int[] dims;
    private final int size;

    private Shape(int[] dims) {
        long n = 1;
        for (int d : dims) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in " + Arrays.toString(dims));
            }
            n *= d;
            if (n > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("shape " + Arrays.toString(dims) + " has more than 2^31-1 elements");
            }
        }
        this.dims = dims;
        this.size = (int) n;
    }

    /**
     * A shape with the given dimensions.
     *
     * @throws IllegalArgumentException if a dimension is negative or the element count exceeds {@code 2^31-1}
     */
    public static Shape of(int... dims) {
        return dims.length == 0 ? SCALAR : new Shape(dims.clone());
    }

    /** The rank-0 shape of a scalar. */
    public static Shape scalar() {
        return SCALAR;
    }

    /** Number of axes. */
    public int rank() {
        return dims.length;
    }

    /**
     * Length of axis {@code axis}; a negative axis counts from the end ({@code -1} is the last).
     *
     * @throws IndexOutOfBoundsException if there is no such axis
     */
    public int dim(int axis) {
        int a = axis < 0 ? dims.length + axis : axis;
        if (a < 0 || a >= dims.length) {
            throw new IndexOutOfBoundsException("axis " + axis + " of shape " + this);
        }
        return dims[a];
    }

    /** Number of elements: the product of the dimensions (1 for a scalar). */
    public int size() {
        return size;
    }

    /** A copy of the dimensions. */
    public int[] dims() {
        return dims.clone();
    }

    /** This shape with {@code batch} put in front: {@code (784).withBatch(100)} is {@code (100, 784)}. */
    public Shape withBatch(int batch) {
        int[] d = new int[dims.length + 1];
        d[0] = batch;
        System.arraycopy(dims, 0, d, 1, dims.length);
        return new Shape(d);
    }

    /**
     * This shape without its first axis: the shape of one sample of a batch.
     *
     * @throws IllegalStateException for a scalar
     */
    public Shape dropBatch() {
        if (dims.length == 0) {
            throw new IllegalStateException("a scalar has no batch axis");
        }
        return new Shape(Arrays.copyOfRange(dims, 1, dims.length));
    }

    /** Size of all axes but the first: the length of one row when the tensor is seen as a matrix. */
    public int rowSize() {
        int n = 1;
        for (int i = 1; i < dims.length; i++) {
            n *= dims[i];
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape && Arrays.equals(dims, ((Shape) o).dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    /** Python-like text: {@code (100, 784)}, {@code (10)}, {@code ()}. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("(");
        for (int i = 0; i < dims.length; i++) {
            if (i > 0) {
                b.append(", ");
            }
            b.append(dims[i]);
        }
        return b.append(')').toString();
    }
}
