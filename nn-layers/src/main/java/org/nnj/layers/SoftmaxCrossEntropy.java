package org.nnj.layers;

import java.util.Objects;
import org.nnj.api.Loss;
import org.nnj.api.ShapeException;
import org.nnj.api.Tensor;

/**
 * Softmax followed by cross-entropy, as one node (the book's {@code SoftmaxWithLoss}): forward returns the mean over
 * the batch of {@code −log softmax(scores)[t]}, and backward returns the famously simple gradient
 * {@code (y − t) / n}, where {@code y} are the softmax probabilities and {@code t} the one-hot targets.
 *
 * <p>Shapes: {@code scores} is {@code (n, c)}; {@code target} is either class indices {@code (n)} or one row of
 * probabilities (one-hot) per sample {@code (n, c)}. The loss keeps a reference to {@code target} for backward: do
 * not modify it before calling backward. Computed by {@link org.nnj.api.Backend#softmaxCrossEntropy}, which stays
 * finite for any finite scores. Not thread-safe. Stability: stable.
 */
public final class SoftmaxCrossEntropy implements Loss {
    private Tensor probs;
    private Tensor dx;
    private Tensor target;

    /** A loss with no state yet. */
    public SoftmaxCrossEntropy() {
    }

    /**
     * @param scores shape {@code (n, c)}, not modified
     * @param target class indices {@code (n)} or one-hot rows {@code (n, c)}, not modified
     * @return the mean cross-entropy over the {@code n} samples
     * @throws ShapeException if the shapes do not fit or a class index is outside {@code [0, c)}
     */
    @Override
    public double forward(Tensor scores, Tensor target) {
        Objects.requireNonNull(scores, "scores");
        Objects.requireNonNull(target, "target");
        boolean matrix = scores.shape().rank() == 2;
        boolean indices = target.shape().rank() == 1 && matrix && target.shape().dim(0) == scores.shape().dim(0);
        if (!matrix || !(indices || target.shape().equals(scores.shape()))) {
            throw new ShapeException("SoftmaxCrossEntropy: scores " + scores.shape() + " and target "
                    + target.shape() + " do not fit; expected scores (n, c) and target (n) or (n, c)");
        }
        if (scores.size() == 0) {
            throw new ShapeException("SoftmaxCrossEntropy: scores " + scores.shape() + " is empty");
        }
        probs = Buffers.ensureLike(probs, scores);
        this.target = null;
        double loss = scores.backend().softmaxCrossEntropy(scores, target, probs);
        this.target = target;
        return loss;
    }

    /**
     * {@code (softmax(scores) − onehot(target)) / n} for the last forward.
     *
     * @return the gradient with respect to the scores, shape {@code (n, c)}, owned by this loss
     * @throws IllegalStateException if forward was not called first
     */
    @Override
    public Tensor backward() {
        if (target == null) {
            throw new IllegalStateException("SoftmaxCrossEntropy: backward called before forward");
        }
        dx = Buffers.ensureLike(dx, probs);
        probs.backend().softmaxCrossEntropyBackward(probs, target, 1.0 / probs.shape().dim(0), dx);
        return dx;
    }

    /**
     * The softmax probabilities of the last forward, shape {@code (n, c)}, owned by this loss and overwritten by its
     * next forward (copy them to keep them).
     *
     * @throws IllegalStateException if forward was not called first
     */
    public Tensor probabilities() {
        if (target == null) {
            throw new IllegalStateException("SoftmaxCrossEntropy: no probabilities before forward");
        }
        return probs;
    }

    @Override
    public String toString() {
        return "SoftmaxCrossEntropy";
    }
}
