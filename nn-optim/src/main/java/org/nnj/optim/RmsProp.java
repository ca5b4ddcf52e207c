package org.nnj.optim;

import static com.google.common.base.Preconditions.checkArgument;

import org.nnj.api.Backend;
import org.nnj.api.Parameter;
import org.nnj.api.Tensor;

/**
 * RMSprop in the book's form, with a moving average of squared gradients {@code h} per parameter (zero at first):
 * <pre>
 *   h ← ρ · h + (1 − ρ) · g ⊙ g
 *   W ← W − lr · g / (√h + eps)
 * </pre>
 * element-wise, with {@code eps} outside the square root (the book's 1e-7 by default), decay ρ ({@code decay},
 * the book's {@code decay_rate}, 0.99 by default), and {@code g = dW + wd · W} if the {@link WeightDecay} applies to
 * the parameter (by default only rank ≥ 2: weights and kernels, not biases or batch-norm parameters), else
 * {@code g = dW}. PyTorch's {@code RMSprop} (without momentum or centring) is the same rule with
 * {@code alpha = ρ} and {@code eps = 1e-8}.
 *
 * <p>Stability: stable.
 */
public final class RmsProp extends AbstractOptimizer {
    /** The book's default learning rate. */
    public static final double DEFAULT_LR = 0.01;
    /** The book's default decay ρ. */
    public static final double DEFAULT_DECAY = 0.99;
    /** The book's constant added to √h. */
    public static final double DEFAULT_EPS = 1e-7;
    private final double decay;
    private final double eps;

    /**
     * @param lr          the learning rate, finite and &gt; 0
     * @param decay       ρ, in [0, 1)
     * @param eps         added to √h, finite and &gt; 0
     * @param weightDecay L2 weight decay, not null
     * @throws IllegalArgumentException if a value is out of range
     */
    public RmsProp(double lr, double decay, double eps, WeightDecay weightDecay) {
        super("rmsprop", lr, weightDecay);
        checkArgument(decay >= 0 && decay < 1, "rmsprop: decay=%s must be in [0, 1)", decay);
        checkArgument(Double.isFinite(eps) && eps > 0, "rmsprop: eps=%s must be finite and > 0", eps);
        this.decay = decay;
        this.eps = eps;
    }

    /** With the given rate, decay {@value #DEFAULT_DECAY}, eps {@value #DEFAULT_EPS}, no weight decay. */
    public RmsProp(double lr) {
        this(lr, DEFAULT_DECAY, DEFAULT_EPS, WeightDecay.none());
    }

    /** The book's defaults: lr {@value #DEFAULT_LR}, decay {@value #DEFAULT_DECAY}, eps {@value #DEFAULT_EPS}. */
    public RmsProp() {
        this(DEFAULT_LR);
    }

    /** The decay ρ of the moving average. */
    public double decay() {
        return decay;
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
        be.scale(h, decay, h);
        be.mul(grad, grad, tmp);
        be.axpy(1 - decay, tmp, h);
        double e = eps;
        // the Backend has no sqrt or division; a fused op would replace this zip (see package-info)
        be.zip(grad, h, (gi, hi) -> gi / (Math.sqrt(hi) + e), tmp);
        be.axpy(-lr, tmp, p.value());
    }

    @Override
    protected String hyperParameters() {
        return ", decay=" + decay + ", eps=" + eps;
    }
}
