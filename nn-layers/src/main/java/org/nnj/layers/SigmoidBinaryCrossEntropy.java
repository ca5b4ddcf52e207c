package org.nnj.layers;

import java.util.Objects;
import org.nnj.api.Backend;
import org.nnj.api.Loss;
import org.nnj.api.ShapeException;
import org.nnj.api.Tensor;

/**
 * Sigmoid followed by binary cross-entropy, as one node (PyTorch's {@code BCEWithLogitsLoss}): forward returns the
 * sum over elements divided by the batch size {@code n} of {@code −t·log σ(x) − (1 − t)·log(1 − σ(x))}, computed by
 * {@link Backend#sigmoidBinaryCrossEntropy} as {@code max(x, 0) − x·t + log(1 + exp(−|x|))}, finite for any finite
 * logit; backward returns {@code (σ(x) − t) / n}.
 *
 * <p>Shapes: {@code scores} is {@code (n, …)} (usually {@code (n, 1)} or {@code (n, k)} for k independent labels);
 * {@code target} has the same shape, with values in {@code [0, 1]}. With one score per sample the loss is the mean
 * over the batch. The loss keeps a reference to {@code target} for backward: do not modify it before calling backward.
 * Not thread-safe. Stability: stable.
 */
public final class SigmoidBinaryCrossEntropy implements Loss {
    private Tensor probs;
    private Tensor dx;
    private Tensor target;

    /** A loss with no state yet. */
    public SigmoidBinaryCrossEntropy() {
    }

    /**
     * @param scores logits {@code (n, …)}, not modified
     * @param target the same shape, values in {@code [0, 1]}, not modified
     * @return the summed binary cross-entropy divided by {@code n}
     * @throws ShapeException if the shapes differ, are empty, or a target is outside {@code [0, 1]}
     */
    @Override
    public double forward(Tensor scores, Tensor target) {
        Objects.requireNonNull(scores, "scores");
        Objects.requireNonNull(target, "target");
        if (scores.shape().rank() < 1 || !target.shape().equals(scores.shape())) {
            throw new ShapeException("SigmoidBinaryCrossEntropy: scores " + scores.shape() + " and target "
                    + target.shape() + " do not fit; expected the same shape (n, ...)");
        }
        probs = Buffers.ensureLike(probs, scores);
        this.target = null;
        double loss = scores.backend().sigmoidBinaryCrossEntropy(scores, target, probs);
        this.target = target;
        return loss;
    }

    /**
     * {@code (sigmoid(scores) − target) / n} for the last forward.
     *
     * @throws IllegalStateException if forward was not called first
     */
    @Override
    public Tensor backward() {
        if (target == null) {
            throw new IllegalStateException("SigmoidBinaryCrossEntropy: backward called before forward");
        }
        Backend be = probs.backend();
        dx = Buffers.ensureLike(dx, probs);
        be.sub(probs, target, dx);
        be.scale(dx, 1.0 / probs.shape().dim(0), dx);
        return dx;
    }

    /**
     * The sigmoid probabilities of the last forward, owned by this loss and overwritten by its next forward.
     *
     * @throws IllegalStateException if forward was not called first
     */
    public Tensor probabilities() {
        if (target == null) {
            throw new IllegalStateException("SigmoidBinaryCrossEntropy: no probabilities before forward");
        }
        return probs;
    }

    @Override
    public String toString() {
        return "SigmoidBinaryCrossEntropy";
    }
}
