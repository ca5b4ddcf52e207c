package org.nnj.examples.plugin;

import java.util.Objects;
import org.nnj.api.Backend;
import org.nnj.api.Layer;
import org.nnj.api.Mode;
import org.nnj.api.Shape;
import org.nnj.api.ShapeException;
import org.nnj.api.Tensor;

/**
 * Swish (also called SiLU), {@code y = x · σ(x)}, element-wise, any shape. Its local derivative is
 * {@code σ(x) + x · σ(x) · (1 − σ(x)) = σ + y − σ·y}, so forward caches {@code σ} and {@code y} and backward needs
 * neither {@code x} nor a call to {@code exp}.
 *
 * <p>Everything is computed through the {@link Backend}'s operations (sigmoid, mul, add, sub), so a faster backend
 * speeds this layer up too. Backward never modifies {@code dout}. Not thread-safe.
 */
public final class Swish implements Layer {
    private Tensor sigma;
    private Tensor out;
    private Tensor slope;
    private Tensor dx;
    private boolean ready;

    /** A layer with no state yet. */
    public Swish() {
    }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(mode, "mode");
        Backend be = x.backend();
        sigma = ensure(sigma, x);
        out = ensure(out, x);
        be.sigmoid(x, sigma);
        be.mul(x, sigma, out);
        ready = mode == Mode.TRAIN;
        return out;
    }

    @Override
    public Tensor backward(Tensor dout) {
        Objects.requireNonNull(dout, "dout");
        if (!ready) {
            throw new IllegalStateException("Swish: backward called before a training-mode forward");
        }
        if (!dout.shape().equals(out.shape())) {
            throw new ShapeException("Swish: dout " + dout.shape() + " does not match the output " + out.shape());
        }
        Backend be = dout.backend();
        slope = ensure(slope, out);
        dx = ensure(dx, out);
        be.mul(sigma, out, dx);      // σ·y (dx as scratch)
        be.add(sigma, out, slope);   // σ + y
        be.sub(slope, dx, slope);    // σ + y − σ·y = dy/dx
        be.mul(dout, slope, dx);
        return dx;
    }

    /** The input shape itself. */
    @Override
    public Shape outputShape(Shape inputShape) {
        return Objects.requireNonNull(inputShape, "inputShape");
    }

    private static Tensor ensure(Tensor current, Tensor like) {
        if (current != null && current.backend() == like.backend() && current.dtype() == like.dtype()
                && current.shape().equals(like.shape())) {
            return current;
        }
        return like.backend().zerosLike(like);
    }

    @Override
    public String toString() {
        return "Swish";
    }
}
