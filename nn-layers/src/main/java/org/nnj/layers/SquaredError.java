package org.nnj.layers;

import java.util.Objects;
import org.nnj.api.Loss;
import org.nnj.api.Shape;
import org.nnj.api.ShapeException;
import org.nnj.api.Tensor;

/**
 * The squared error {@code L = ½ · Σ (y − t)²}, summed over the elements of each sample and averaged over the batch.
 *
 * <p>The batch is the first axis when {@code scores} has rank 2 or more ({@code (n, c)}, {@code (n, ...)}); a scalar
 * {@code ()} or a vector {@code (c)} is one sample (batch 1). So for the book's single numbers (the apple example,
 * {@code y = 220}, {@code t = 219}) the loss is {@code ½ (y − t)²} and its gradient {@code y − t}. Unlike the book's
 * {@code mean_squared_error}, which sums over the whole batch, this averages over the batch so that the loss, like
 * {@link SoftmaxCrossEntropy}'s, does not grow with the batch size. Backward returns {@code (y − t) / batch}.
 *
 * <p>{@code target} must have the shape of {@code scores}. The difference {@code y − t} is cached in a buffer this loss
 * owns, so neither argument needs to stay unchanged after forward. Not thread-safe. Stability: stable.
 */
public final class SquaredError implements Loss {
    private Tensor diff;
    private Tensor dx;
    private boolean ready;

    /** A loss with no state yet. */
    public SquaredError() {
    }

    /**
     * @param scores any shape; not modified
     * @param target same shape as {@code scores}; not modified
     * @return {@code ½ · Σ (scores − target)² / batch}
     * @throws ShapeException if the shapes differ
     */
    @Override
    public double forward(Tensor scores, Tensor target) {
        Objects.requireNonNull(scores, "scores");
        Objects.requireNonNull(target, "target");
        if (!scores.shape().equals(target.shape())) {
            throw new ShapeException("SquaredError: scores " + scores.shape() + " and target " + target.shape()
                    + " must have the same shape");
        }
        if (scores.size() == 0) {
            throw new ShapeException("SquaredError: scores " + scores.shape() + " is empty");
        }
        diff = Buffers.ensureLike(diff, scores);
        scores.backend().sub(scores, target, diff);
        ready = true;
        return 0.5 * scores.backend().dot(diff, diff) / batch(diff.shape());
    }

    /**
     * {@code (scores − target) / batch} for the last forward.
     *
     * @return the gradient with respect to the scores, same shape, owned by this loss
     * @throws IllegalStateException if forward was not called first
     */
    @Override
    public Tensor backward() {
        if (!ready) {
            throw new IllegalStateException("SquaredError: backward called before forward");
        }
        dx = Buffers.ensureLike(dx, diff);
        diff.backend().scale(diff, 1.0 / batch(diff.shape()), dx);
        return dx;
    }

    /** The number of samples: the first axis for rank 2 or more, else 1. */
    static int batch(Shape shape) {
        return shape.rank() >= 2 ? shape.dim(0) : 1;
    }

    @Override
    public String toString() {
        return "SquaredError";
    }
}
