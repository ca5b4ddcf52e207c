package org.nnj.layers;

import java.util.Objects;
import org.nnj.api.ShapeException;
import org.nnj.api.Tensor;

/**
 * The book's addition node {@code out = x + y} (its {@code AddLayer}), element-wise on two tensors of the same shape;
 * scalars have shape {@code ()}. Its local derivative is 1 for both inputs, so backward passes {@code dout} on to
 * both, unchanged (as two copies this gate owns, never {@code dout} itself).
 *
 * <p>Not thread-safe. Stability: stable.
 */
public final class AddGate {
    private Tensor out;
    private Tensor dx;
    private Tensor dy;

    /** A gate with no state yet. */
    public AddGate() {
    }

    /**
     * {@code x + y}.
     *
     * @return the sum, owned by this gate and overwritten by its next forward
     * @throws ShapeException if the shapes differ
     */
    public Tensor forward(Tensor x, Tensor y) {
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(y, "y");
        if (!x.shape().equals(y.shape())) {
            throw new ShapeException("AddGate: x " + x.shape() + " and y " + y.shape() + " must have the same shape");
        }
        out = Buffers.ensureLike(out, x);
        x.backend().add(x, y, out);
        return out;
    }

    /**
     * The gradients with respect to {@code x} and {@code y}: both equal to {@code dout}.
     *
     * @param dout gradient with respect to the output, same shape; not modified
     * @return {@code {dx, dy}}, owned by this gate
     * @throws IllegalStateException if forward was not called first
     * @throws ShapeException if {@code dout} does not have the output's shape
     */
    public Tensor[] backward(Tensor dout) {
        Gates.checkBackward("AddGate", out, dout);
        dx = Buffers.ensureLike(dx, dout);
        dy = Buffers.ensureLike(dy, dout);
        dout.backend().copy(dout, dx);
        dout.backend().copy(dout, dy);
        return new Tensor[] {dx, dy};
    }

    @Override
    public String toString() {
        return "AddGate";
    }
}
