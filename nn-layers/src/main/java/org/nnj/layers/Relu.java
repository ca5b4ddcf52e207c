package org.nnj.layers;

import java.util.Objects;
import org.nnj.api.Layer;
import org.nnj.api.Mode;
import org.nnj.api.Shape;
import org.nnj.api.Tensor;

/**
 * The rectified linear unit {@code y = max(x, 0)}, element-wise, any shape. Its local derivative is 1 where
 * {@code x > 0} and 0 elsewhere (0 at exactly 0, as in the book).
 *
 * <p>The mask is read from the layer's own output, which is positive exactly where the input is, so the layer keeps
 * no reference to its input and needs no extra buffer. Unlike the book's {@code Relu}, backward never writes into
 * {@code dout}: it writes into a gradient buffer the layer owns. Not thread-safe. Stability: stable.
 */
public final class Relu implements Layer {
    private Tensor out;
    private Tensor dx;
    private boolean ready;

    /** A layer with no state yet. */
    public Relu() {
    }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(mode, "mode");
        out = Buffers.ensureLike(out, x);
        x.backend().relu(x, out);
        ready = mode == Mode.TRAIN;
        return out;
    }

    @Override
    public Tensor backward(Tensor dout) {
        Gates.checkBackward("Relu", ready ? out : null, dout);
        dx = Buffers.ensureLike(dx, dout);
        // out > 0 exactly where x > 0, so the output serves as the mask.
        dout.backend().reluBackward(out, dout, dx);
        return dx;
    }

    /** The input shape itself. */
    @Override
    public Shape outputShape(Shape inputShape) {
        return Objects.requireNonNull(inputShape, "inputShape");
    }

    @Override
    public String toString() {
        return "Relu";
    }
}
