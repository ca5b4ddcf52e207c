package org.nnj.layers;

import java.util.Objects;
import org.nnj.api.ShapeException;
import org.nnj.api.Tensor;

/**
 * The book's multiplication node {@code out = x · y} (its {@code MulLayer}), element-wise on two tensors of the same
 * shape; scalars have shape {@code ()}. Backward swaps the inputs: {@code dx = dout · y}, {@code dy = dout · x}.
 *
 * <p>Forward keeps references to {@code x} and {@code y} (as the book does): do not modify them before calling
 * backward. Not thread-safe. Stability: stable.
 */
public final class MulGate {
    private Tensor x;
    private Tensor y;
    private Tensor out;
    private Tensor dx;
    private Tensor dy;

    /** A gate with no state yet. */
    public MulGate() {
    }

    /**
     * {@code x · y}, element-wise.
     *
     * @return the product, owned by this gate and overwritten by its next forward
     * @throws ShapeException if the shapes differ
     */
    public Tensor forward(Tensor x, Tensor y) {
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(y, "y");
        if (!x.shape().equals(y.shape())) {
            throw new ShapeException("MulGate: x " + x.shape() + " and y " + y.shape() + " must have the same shape");
        }
        out = Buffers.ensureLike(out, x);
        x.backend().mul(x, y, out);
        this.x = x;
        this.y = y;
        return out;
    }

    /**
     * The gradients {@code dx = dout · y} and {@code dy = dout · x} for the last forward.
     *
     * @param dout gradient with respect to the output, same shape; not modified
     * @return {@code {dx, dy}}, owned by this gate
     * @throws IllegalStateException if forward was not called first
     * @throws ShapeException if {@code dout} does not have the output's shape
     */
    public Tensor[] backward(Tensor dout) {
        Gates.checkBackward("MulGate", x == null ? null : out, dout);
        dx = Buffers.ensureLike(dx, dout);
        dy = Buffers.ensureLike(dy, dout);
        dout.backend().mul(dout, y, dx);
        dout.backend().mul(dout, x, dy);
        return new Tensor[] {dx, dy};
    }

    @Override
    public String toString() {
        return "MulGate";
    }
}
