package org.nnj.openblas;

import org.nnj.api.DType;
import org.nnj.api.Shape;
import org.nnj.api.Tensor;

/**
 * A tensor of the {@link OpenBlasBackend}: a cpu tensor (the wrapped backend's storage, a row-major Java array
 * starting at index 0) that names the openblas backend as its owner, so that layers asking a tensor for its backend
 * keep computing with OpenBLAS. The array is held directly for {@code cblas_?gemm}. Not thread-safe.
 */
final class OpenBlasTensor implements Tensor {
    private final OpenBlasBackend backend;
    final Tensor inner;
    final float[] f;
    final double[] d;

    OpenBlasTensor(OpenBlasBackend backend, Tensor inner, float[] f, double[] d) {
        this.backend = backend;
        this.inner = inner;
        this.f = f;
        this.d = d;
    }

    @Override
    public Shape shape() {
        return inner.shape();
    }

    @Override
    public DType dtype() {
        return inner.dtype();
    }

    @Override
    public OpenBlasBackend backend() {
        return backend;
    }

    @Override
    public int size() {
        return inner.size();
    }

    @Override
    public double get(int index) {
        return inner.get(index);
    }

    @Override
    public void set(int index, double value) {
        inner.set(index, value);
    }

    @Override
    public double[] toDoubleArray() {
        return inner.toDoubleArray();
    }

    /** A view of the same storage with another shape of the same size. */
    @Override
    public OpenBlasTensor reshape(Shape shape) {
        return new OpenBlasTensor(backend, inner.reshape(shape), f, d);
    }

    @Override
    public String toString() {
        return "openblas " + inner;
    }
}
