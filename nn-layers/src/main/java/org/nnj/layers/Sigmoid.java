package org.nnj.layers;

import org.nnj.api.Backend;
import org.nnj.api.Tensor;

/**
 * The logistic sigmoid {@code y = 1 / (1 + exp(−x))}, element-wise, any shape. It caches its output, since its local
 * derivative is {@code y · (1 − y)}: backward returns {@code dout · y · (1 − y)}.
 *
 * <p>Not thread-safe. Stability: stable.
 */
public final class Sigmoid extends OutputCachingActivation {

    /** A layer with no state yet. */
    public Sigmoid() {
        super("Sigmoid");
    }

    @Override
    void apply(Backend backend, Tensor x, Tensor out) {
        backend.sigmoid(x, out);
    }

    @Override
    void derive(Backend backend, Tensor y, Tensor dout, Tensor dx) {
        backend.sigmoidBackward(y, dout, dx);
    }
}
