package org.nnj.layers;

import org.nnj.api.Backend;
import org.nnj.api.Tensor;

/**
 * The rectified linear unit {@code y = max(x, 0)}, element-wise, any shape. Its local derivative is 1 where
 * {@code x > 0} and 0 elsewhere (0 at exactly 0, as in the book).
 *
 * <p>The mask is read from the layer's own output, which is positive exactly where the input is, so the layer keeps
 * no reference to its input and needs no extra buffer. Unlike the book's {@code Relu}, backward never writes into
 * {@code dout}: it writes into a gradient buffer the layer owns. Not thread-safe. Stability: stable.
 */
public final class Relu extends OutputCachingActivation {

    /** A layer with no state yet. */
    public Relu() {
        super("Relu");
    }

    @Override
    void apply(Backend backend, Tensor x, Tensor out) {
        backend.relu(x, out);
    }

    @Override
    void derive(Backend backend, Tensor y, Tensor dout, Tensor dx) {
        // out > 0 exactly where x > 0, so the output serves as the mask.
        backend.reluBackward(y, dout, dx);
    }
}
