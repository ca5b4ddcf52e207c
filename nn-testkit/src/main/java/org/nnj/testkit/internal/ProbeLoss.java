package org.nnj.testkit.internal;

import java.util.Objects;
import org.nnj.api.Loss;
import org.nnj.api.ShapeException;
import org.nnj.api.Tensor;

/**
 * The loss {@code L = Σ scores ⊙ target} for a target of the scores' shape, whose gradient is the target itself. It
 * lets {@link org.nnj.testkit.LayerKit} put any layer into a saveable network without depending on nnj's own losses.
 * Internal to the kit; not API.
 */
public final class ProbeLoss implements Loss {
    private Tensor target;
    private Tensor grad;

    @Override
    public double forward(Tensor scores, Tensor target) {
        Objects.requireNonNull(scores, "scores");
        Objects.requireNonNull(target, "target");
        if (!scores.shape().equals(target.shape())) {
            throw new ShapeException("nnj-testkit-probe: target " + target.shape() + " must have the scores' shape "
                    + scores.shape());
        }
        this.target = target;
        return scores.backend().dot(scores, target);
    }

    @Override
    public Tensor backward() {
        if (target == null) {
            throw new IllegalStateException("nnj-testkit-probe: backward before forward");
        }
        if (grad == null || !grad.shape().equals(target.shape()) || grad.dtype() != target.dtype()) {
            grad = target.backend().zerosLike(target);
        }
        target.backend().copy(target, grad);
        return grad;
    }
}
