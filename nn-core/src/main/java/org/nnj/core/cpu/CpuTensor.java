package org.nnj.core.cpu;

import com.google.common.base.Preconditions;
import org.nnj.api.DType;
import org.nnj.api.Shape;
import org.nnj.api.ShapeException;
import org.nnj.api.Tensor;

/**
 * A tensor of the {@link CpuBackend}: a row-major Java array, {@code float[]} for {@link DType#FLOAT32} or
 * {@code double[]} for {@link DType#FLOAT64}, always starting at index 0 and exactly {@link #size()} long.
 * {@link #reshape} returns a view sharing the same array.
 *
 * <p>Not thread-safe. Stability: evolving.
 */
public final class CpuTensor implements Tensor {
    private final CpuBackend backend;
    private final Shape shape;
    private final DType dtype;
    private final float[] f;
    private final double[] d;

    private CpuTensor(CpuBackend backend, Shape shape, DType dtype, float[] f, double[] d) {
        this.backend = backend;
        this.shape = shape;
        this.dtype = dtype;
        this.f = f;
        this.d = d;
    }

    /** A new zero tensor. */
    static CpuTensor zeros(CpuBackend backend, DType dtype, Shape shape) {
        Preconditions.checkNotNull(dtype, "dtype is null");
        Preconditions.checkNotNull(shape, "shape is null");
        return dtype == DType.FLOAT32
                ? new CpuTensor(backend, shape, dtype, new float[shape.size()], null)
                : new CpuTensor(backend, shape, dtype, null, new double[shape.size()]);
    }

    @Override
    public Shape shape() {
        return shape;
    }

    @Override
    public DType dtype() {
        return dtype;
    }

    @Override
    public CpuBackend backend() {
        return backend;
    }

    @Override
    public int size() {
        return shape.size();
    }

    /** True for {@link DType#FLOAT32}. */
    boolean isFloat() {
        return f != null;
    }

    /**
     * The backing array of a {@link DType#FLOAT32} tensor, row-major from index 0 (shared, not copied): for this
     * backend's kernels and for backends that wrap it and hand the arrays to native code (nn-backend-openblas).
     * Writing into it writes the tensor.
     *
     * @throws IllegalStateException if this tensor is FLOAT64
     */
    public float[] floats() {
        if (f == null) {
            throw new IllegalStateException("tensor " + shape + " is float64, not float32");
        }
        return f;
    }

    /**
     * The backing array of a {@link DType#FLOAT64} tensor, row-major from index 0 (shared, not copied); see
     * {@link #floats()}.
     *
     * @throws IllegalStateException if this tensor is FLOAT32
     */
    public double[] doubles() {
        if (d == null) {
            throw new IllegalStateException("tensor " + shape + " is float32, not float64");
        }
        return d;
    }

    /** The backing array, {@code float[]} or {@code double[]}: used to detect two tensors sharing storage. */
    Object storage() {
        return f != null ? f : d;
    }

    @Override
    public double get(int index) {
        return f != null ? f[checkIndex(index)] : d[checkIndex(index)];
    }

    @Override
    public void set(int index, double value) {
        if (f != null) {
            f[checkIndex(index)] = (float) value;
        } else {
            d[checkIndex(index)] = value;
        }
    }

    private int checkIndex(int index) {
        if (index < 0 || index >= shape.size()) {
            throw new IndexOutOfBoundsException("index " + index + " of tensor " + shape + " with " + shape.size()
                    + " elements");
        }
        return index;
    }

    @Override
    public double[] toDoubleArray() {
        if (d != null) {
            return d.clone();
        }
        double[] out = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            out[i] = f[i];
        }
        return out;
    }

    @Override
    public CpuTensor reshape(Shape newShape) {
        Preconditions.checkNotNull(newShape, "shape is null");
        if (newShape.size() != shape.size()) {
            throw new ShapeException("reshape: " + shape + " has " + shape.size() + " elements, " + newShape
                    + " has " + newShape.size());
        }
        return new CpuTensor(backend, newShape, dtype, f, d);
    }

    @Override
    public String toString() {
        return "CpuTensor" + shape + " " + dtype;
    }
}
