package org.nnj.layers;

import java.util.Objects;
import org.nnj.api.Layer;
import org.nnj.api.Mode;
import org.nnj.api.Shape;
import org.nnj.api.ShapeException;
import org.nnj.api.Tensor;

/**
 * Flattens a batch {@code (n, d₁, d₂, …)} into {@code (n, d₁·d₂·…)}, keeping the batch axis even for {@code n = 1};
 * a rank-1 batch {@code (n)} becomes {@code (n, 1)}. Backward reshapes the gradient back to the input's shape.
 *
 * <p>Nothing is copied: forward returns a reshape view sharing the input's storage and backward one sharing
 * {@code dout}'s, unlike other layers, whose outputs are buffers of their own. Not thread-safe. Stability: stable.
 */
public final class Flatten implements Layer {
    private Shape inputShape;
    private Shape outputShape;

    /** A layer with no state yet. */
    public Flatten() {
    }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(mode, "mode");
        Shape shape = x.shape();
        if (shape.rank() < 1) {
            throw new ShapeException("Flatten: input " + shape + " has no batch axis");
        }
        Shape flat = Shape.of(shape.dim(0), shape.rowSize());
        if (mode == Mode.TRAIN) {
            inputShape = shape;
            outputShape = flat;
        } else {
            inputShape = null;
            outputShape = null;
        }
        return shape.equals(flat) ? x : x.reshape(flat);
    }

    @Override
    public Tensor backward(Tensor dout) {
        Objects.requireNonNull(dout, "dout");
        if (inputShape == null) {
            throw new IllegalStateException("Flatten: backward called before a training-mode forward");
        }
        if (!dout.shape().equals(outputShape)) {
            throw new ShapeException("Flatten: dout " + dout.shape() + " does not match the output " + outputShape
                    + " of the last forward");
        }
        return inputShape.equals(outputShape) ? dout : dout.reshape(inputShape);
    }

    /** {@code (size)}: the number of elements of one sample. */
    @Override
    public Shape outputShape(Shape inputShape) {
        return Shape.of(Objects.requireNonNull(inputShape, "inputShape").size());
    }

    @Override
    public String toString() {
        return "Flatten";
    }
}
