package org.nnj.layers;

import org.nnj.api.Backend;
import org.nnj.api.DType;
import org.nnj.api.Shape;
import org.nnj.api.Tensor;

/** Reuse of a layer's own output and gradient tensors: a new tensor only when shape, dtype or backend change. */
final class Buffers {
    private Buffers() {
    }

    /** {@code current} if it already has this backend, dtype and shape, otherwise a new zero tensor. */
    static Tensor ensure(Tensor current, Backend backend, DType dtype, Shape shape) {
        if (current != null && current.backend() == backend && current.dtype() == dtype
                && current.shape().equals(shape)) {
            return current;
        }
        return backend.zeros(dtype, shape);
    }

    /** {@code current} if it fits {@code like} (backend, dtype, shape), otherwise a new zero tensor like it. */
    static Tensor ensureLike(Tensor current, Tensor like) {
        return ensure(current, like.backend(), like.dtype(), like.shape());
    }
}
