package org.nnj.optim;

import static com.google.common.base.Preconditions.checkArgument;

import org.nnj.api.Backend;
import org.nnj.api.Parameter;
import org.nnj.api.Tensor;

/**
 * AdamW: Adam with decoupled weight decay (Loshchilov &amp; Hutter), following PyTorch's {@code torch.optim.AdamW}.
 * Each step first shrinks the weights, then takes {@link Adam}'s step on the raw gradient {@code g = dW}:
 * <pre>
 *   W ← W − lr · wd · W                    (only where the {@link WeightDecay} applies)
 *   m ← β1 · m + (1 − β1) · g
 *   v ← β2 · v + (1 − β2) · g ⊙ g
 *   W ← W − lr · m̂ / (√v̂ + eps),  m̂ = m / (1 − β1ᵗ),  v̂ = v / (1 − β2ᵗ)
 * </pre>
 * The decay is multiplied by the current learning rate, as PyTorch does (the paper's schedule multiplier is the
 * learning-rate schedule), and never enters the moments. Default {@code wd} 0.01. Like the L2 optimizers, it applies
 * by default only to parameters of rank ≥ 2 — weights and kernels, not biases or batch-norm parameters — which is the
 * usual practice with AdamW; {@link WeightDecay#all} decays every parameter, as
 * {@code torch.optim.AdamW(model.parameters())} does.
 *
 * <p>Stability: stable.
 */
public final class AdamW extends AbstractOptimizer {
    /** The default learning rate. */
    public static final double DEFAULT_LR = 0.001;
    /** The default decoupled weight decay (PyTorch's). */
    public static final double DEFAULT_WEIGHT_DECAY = 0.01;
    private final AdamRule rule;

    /**
     * @param lr          the learning rate, finite and &gt; 0, with {@code lr · weightDecay.rate() < 1}
     * @param beta1       decay of the first moment, in [0, 1)
     * @param beta2       decay of the second moment, in [0, 1)
     * @param eps         added to √v̂, finite and &gt; 0
     * @param weightDecay the decoupled decay, not null
     * @throws IllegalArgumentException if a value is out of range
     */
    public AdamW(double lr, double beta1, double beta2, double eps, WeightDecay weightDecay) {
        super("adamw", lr, weightDecay);
        this.rule = new AdamRule("adamw", beta1, beta2, eps);
        checkLearningRate(lr);
    }

    /** With the given rate, weight decay {@value #DEFAULT_WEIGHT_DECAY} of rank ≥ 2 parameters, defaults otherwise. */
    public AdamW(double lr) {
        this(lr, Adam.DEFAULT_BETA1, Adam.DEFAULT_BETA2, Adam.DEFAULT_EPS, WeightDecay.of(DEFAULT_WEIGHT_DECAY));
    }

    /** The defaults: lr 0.001, beta1 0.9, beta2 0.999, eps 1e-8, weight decay 0.01 of rank ≥ 2 parameters. */
    public AdamW() {
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
    protected boolean l2WeightDecay() {
        return false;
    }

    @Override
    protected void checkLearningRate(double lr) {
        double wd = weightDecay().rate();
        checkArgument(lr * wd < 1, "adamw: lr=%s times weight_decay=%s must be < 1", lr, wd);
    }

    @Override
    protected int stateTensors() {
        return 3; // m, v, and a scratch tensor
    }

    @Override
    protected void update(Parameter p, Tensor grad, State state, double lr) {
        Backend be = p.value().backend();
        if (weightDecay().appliesTo(p)) {
            be.scale(p.value(), 1 - lr * weightDecay().rate(), p.value());
        }
        rule.apply(be, p.value(), grad, state.tensor(0), state.tensor(1), state.tensor(2), lr, state.steps());
    }

    @Override
    protected String hyperParameters() {
        return rule.describe();
    }
}
