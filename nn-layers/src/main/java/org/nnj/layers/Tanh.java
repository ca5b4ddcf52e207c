package org.nnj.layers;

import org.nnj.api.Backend;
import org.nnj.api.Tensor;

/**
 * The hyperbolic tangent {@code y = tanh(x)}, element-wise, any shape. It caches its output, since its local
 * derivative is {@code 1 − y²}: backward returns {@code dout · (1 − y²)}.
 *
 * <p>Not thread-safe. Stability: stable.
 */
public final class Tanh extends OutputCachingActivation {

    /** A layer with no state yet. */
    public Tanh() {
        super("Tanh");
    }

    @Override
    void apply(Backend backend, Tensor x, Tensor out) {
        backend.tanh(x, out);
    }

    @Override
    void derive(Backend backend, Tensor y, Tensor dout, Tensor dx) {
        backend.tanhBackward(y, dout, dx);
    }
}
