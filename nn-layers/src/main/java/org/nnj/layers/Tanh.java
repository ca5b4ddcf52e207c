package org.nnj.layers;

import java.util.Objects;
import org.nnj.api.Layer;
import org.nnj.api.Mode;
import org.nnj.api.Shape;
import org.nnj.api.Tensor;

/**
 * The hyperbolic tangent {@code y = tanh(x)}, element-wise, any shape. It caches its output, since its local
 * derivative is {@code 1 − y²}: backward returns {@code dout · (1 − y²)}.
 *
 * <p>Not thread-safe. Stability: stable.
 */
public final class Tanh implements Layer {
    private Tensor out;
    private Tensor dx;
    private boolean ready;

    /** A layer with no state yet. */
    public Tanh() {
    }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(mode, "mode");
        out = Buffers.ensureLike(out, x);
        x.backend().tanh(x, out);
        ready = mode == Mode.TRAIN;
        return out;
    }

    @Override
    public Tensor backward(Tensor dout) {
        Gates.checkBackward("Tanh", ready ? out : null, dout);
        dx = Buffers.ensureLike(dx, dout);
        dout.backend().tanhBackward(out, dout, dx);
        return dx;
    }

    /** The input shape itself. */
    @Override
    public Shape outputShape(Shape inputShape) {
        return Objects.requireNonNull(inputShape, "inputShape");
    }

    @Override
    public String toString() {
        return "Tanh";
    }
}
