package org.nnj.optim;

import static com.google.common.base.Preconditions.checkArgument;

import org.nnj.api.Backend;
import org.nnj.api.Parameter;
import org.nnj.api.Tensor;

/**
 * AdaGrad in the book's form, with a sum of squared gradients {@code h} per parameter (zero at first):
 * <pre>
 *   h ← h + g ⊙ g
 *   W ← W − lr · g / (√h + eps)
 * </pre>
 * element-wise, with {@code eps} outside the square root (the book's 1e-7 by default), and {@code g = dW + wd · W}
 * if the {@link WeightDecay} applies to the parameter (by default only rank ≥ 2: weights and kernels, not biases or
 * batch-norm parameters), else {@code g = dW}. PyTorch's {@code Adagrad} is the same rule with {@code eps = 1e-10}
 * and no learning-rate decay.
 *
 * <p>Stability: stable.
 */
public final class AdaGrad extends AbstractOptimizer {
    /** The book's default learning rate. */
    public static final double DEFAULT_LR = 0.01;
    /** The book's constant added to √h. */
    public static final double DEFAULT_EPS = 1e-7;
    private final double eps;

    /**
     * @param lr          the learning rate, finite and &gt; 0
     * @param eps         added to √h, finite and &gt; 0
     * @param weightDecay L2 weight decay, not null
     * @throws IllegalArgumentException if a value is out of range
     */
    public AdaGrad(double lr, double eps, WeightDecay weightDecay) {
        super("adagrad", lr, weightDecay);
        checkArgument(Double.isFinite(eps) && eps > 0, "adagrad: eps=%s must be finite and > 0", eps);
        this.eps = eps;
    }

    /** With the given rate, eps {@value #DEFAULT_EPS}, no weight decay. */
    public AdaGrad(double lr) {
        this(lr, DEFAULT_EPS, WeightDecay.none());
    }

    /** The book's defaults: lr {@value #DEFAULT_LR}, eps {@value #DEFAULT_EPS}, no weight decay. */
    public AdaGrad() {
        this(DEFAULT_LR);
    }

    /** The constant added to √h. */
    public double eps() {
        return eps;
    }

    @Override
    protected int stateTensors() {
        return 2; // h, and a scratch tensor for g² and the step direction
    }

    @Override
    protected void update(Parameter p, Tensor grad, State state, double lr) {
        Backend be = p.value().backend();
        Tensor h = state.tensor(0);
        Tensor tmp = state.tensor(1);
        be.mul(grad, grad, tmp);
        be.add(h, tmp, h);
        double e = eps;
        // the Backend has no sqrt or division; a fused op would replace this zip (see package-info)
        be.zip(grad, h, (gi, hi) -> gi / (Math.sqrt(hi) + e), tmp);
        be.axpy(-lr, tmp, p.value());
    }

    @Override
    protected String hyperParameters() {
        return ", eps=" + eps;
    }
}
