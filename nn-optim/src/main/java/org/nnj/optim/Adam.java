package org.nnj.optim;

import org.nnj.api.Parameter;
import org.nnj.api.Tensor;

/**
 * Adam (Kingma &amp; Ba), following PyTorch's published rule for {@code torch.optim.Adam} (not amsgrad), with first
 * and second moments {@code m}, {@code v} per parameter (zero at first) and the parameter's own step count
 * {@code t} (1 on its first step):
 * <pre>
 *   m ← β1 · m + (1 − β1) · g
 *   v ← β2 · v + (1 − β2) · g ⊙ g
 *   m̂ = m / (1 − β1ᵗ)        v̂ = v / (1 − β2ᵗ)        (bias correction)
 *   W ← W − lr · m̂ / (√v̂ + eps)
 * </pre>
 * {@code eps} is <em>outside</em> the square root and added to the bias-corrected √v̂. (The book's {@code Adam}
 * differs: it folds the correction into {@code lr_t = lr·√(1−β2ᵗ)/(1−β1ᵗ)} and adds 1e-7 to the uncorrected √v, i.e.
 * a larger, step-dependent effective eps.) L2 weight decay, as in PyTorch's {@code Adam(weight_decay=…)}, uses
 * {@code g = dW + wd · W} where the {@link WeightDecay} applies (by default only rank ≥ 2: weights and kernels, not
 * biases or batch-norm parameters), else {@code g = dW}; for decoupled decay use {@link AdamW}. Because {@code t}
 * counts each parameter's own steps, a parameter that first appears later, or under a new name, gets a correct
 * bias correction.
 *
 * <p>Stability: stable.
 */
public final class Adam extends AbstractOptimizer {
    /** The default learning rate (the book's and PyTorch's). */
    public static final double DEFAULT_LR = 0.001;
    /** The default decay of the first moment. */
    public static final double DEFAULT_BETA1 = 0.9;
    /** The default decay of the second moment. */
    public static final double DEFAULT_BETA2 = 0.999;
    /** The default constant added to √v̂ (PyTorch's). */
    public static final double DEFAULT_EPS = 1e-8;
    private final AdamRule rule;

    /**
     * @param lr          the learning rate, finite and &gt; 0
     * @param beta1       decay of the first moment, in [0, 1)
     * @param beta2       decay of the second moment, in [0, 1)
     * @param eps         added to √v̂, finite and &gt; 0
     * @param weightDecay L2 weight decay, not null
     * @throws IllegalArgumentException if a value is out of range
     */
    public Adam(double lr, double beta1, double beta2, double eps, WeightDecay weightDecay) {
        super("adam", lr, weightDecay);
        this.rule = new AdamRule("adam", beta1, beta2, eps);
    }

    /** With the given rate and the defaults otherwise, no weight decay. */
    public Adam(double lr) {
        this(lr, DEFAULT_BETA1, DEFAULT_BETA2, DEFAULT_EPS, WeightDecay.none());
    }

    /** The defaults: lr 0.001, beta1 0.9, beta2 0.999, eps 1e-8, no weight decay. */
    public Adam() {
        this(DEFAULT_LR);
    }

    /** β1. */
    public double beta1() {
        return rule.beta1;
    }

    /** β2. */
    public double beta2() {
        return rule.beta2;
    }

    /** The constant added to √v̂. */
    public double eps() {
        return rule.eps;
    }

    @Override
    protected int stateTensors() {
        return 3; // m, v, and a scratch tensor
    }

    @Override
    protected void update(Parameter p, Tensor grad, State state, double lr) {
        rule.apply(p.value().backend(), p.value(), grad, state.tensor(0), state.tensor(1), state.tensor(2), lr,
                state.steps());
    }

    @Override
    protected String hyperParameters() {
        return rule.describe();
    }
}
