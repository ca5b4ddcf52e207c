package org.nnj.layers;

import java.util.Objects;
import org.nnj.api.Backend;
import org.nnj.api.Layer;
import org.nnj.api.Mode;
import org.nnj.api.Shape;
import org.nnj.api.Tensor;

/**
 * An element-wise activation whose local derivative can be computed from its output alone (ReLU, sigmoid, tanh):
 * forward keeps only its own output buffer, backward derives {@code dx} from it. Shape-preserving.
 */
abstract class OutputCachingActivation implements Layer {
    private final String label;
    private Tensor out;
    private Tensor dx;
    private boolean ready;

    OutputCachingActivation(String label) {
        this.label = label;
    }

    /** {@code out = f(x)}. */
    abstract void apply(Backend backend, Tensor x, Tensor out);

    /** {@code dx = dout · f'(x)}, computed from {@code y = f(x)}. */
    abstract void derive(Backend backend, Tensor y, Tensor dout, Tensor dx);

    @Override
    public final Tensor forward(Tensor x, Mode mode) {
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(mode, "mode");
        out = Buffers.ensureLike(out, x);
        apply(x.backend(), x, out);
        ready = mode == Mode.TRAIN;
        return out;
    }

    @Override
    public final Tensor backward(Tensor dout) {
        Gates.checkBackward(label, ready ? out : null, dout);
        dx = Buffers.ensureLike(dx, dout);
        derive(dout.backend(), out, dout, dx);
        return dx;
    }

    /** The input shape itself. */
    @Override
    public final Shape outputShape(Shape inputShape) {
        return Objects.requireNonNull(inputShape, "inputShape");
    }

    @Override
    public String toString() {
        return label;
    }
}
