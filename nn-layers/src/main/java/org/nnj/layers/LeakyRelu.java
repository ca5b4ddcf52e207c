package org.nnj.layers;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.Objects;
import org.nnj.api.Layer;
import org.nnj.api.Mode;
import org.nnj.api.Shape;
import org.nnj.api.Tensor;

/**
 * The leaky rectified linear unit {@code y = x > 0 ? x : alpha · x}, element-wise, any shape. Its local derivative is
 * 1 where {@code x > 0} and {@code alpha} elsewhere (including at exactly 0).
 *
 * <p>Since {@code alpha ≥ 0}, the output is positive exactly where the input is, so, like {@link Relu}, the layer
 * reads its mask from its own output and keeps no reference to its input. Not thread-safe. Stability: stable.
 */
public final class LeakyRelu implements Layer {
    /** The slope for negative inputs when none is given (PyTorch's default). */
    public static final double DEFAULT_ALPHA = 0.01;

    private final double alpha;
    private Tensor out;
    private Tensor dx;
    private boolean ready;

    /** A layer with slope {@value #DEFAULT_ALPHA} for negative inputs. */
    public LeakyRelu() {
        this(DEFAULT_ALPHA);
    }

    /**
     * @param alpha the slope for inputs {@code ≤ 0}, finite and not negative (0 gives {@link Relu})
     * @throws IllegalArgumentException if {@code alpha} is negative or not finite
     */
    public LeakyRelu(double alpha) {
        checkArgument(Double.isFinite(alpha) && alpha >= 0, "LeakyRelu: alpha must be finite and >= 0, got %s",
                alpha);
        this.alpha = alpha;
    }

    /** The slope for inputs {@code ≤ 0}. */
    public double alpha() {
        return alpha;
    }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(mode, "mode");
        out = Buffers.ensureLike(out, x);
        x.backend().leakyRelu(x, alpha, out);
        ready = mode == Mode.TRAIN;
        return out;
    }

    @Override
    public Tensor backward(Tensor dout) {
        Gates.checkBackward(toString(), ready ? out : null, dout);
        dx = Buffers.ensureLike(dx, dout);
        // alpha >= 0: out > 0 exactly where x > 0, so the output serves as the mask.
        dout.backend().leakyReluBackward(out, alpha, dout, dx);
        return dx;
    }

    /** The input shape itself. */
    @Override
    public Shape outputShape(Shape inputShape) {
        return Objects.requireNonNull(inputShape, "inputShape");
    }

    /** {@code LeakyRelu(alpha)}. */
    @Override
    public String toString() {
        return "LeakyRelu(" + alpha + ")";
    }
}
