package org.nnj.optim;

import static com.google.common.base.Preconditions.checkArgument;

import org.nnj.api.Parameter;

/**
 * How much weight decay an optimizer applies, and to which parameters. By default decay applies only to parameters of
 * rank ≥ 2 — the weights of affine layers and the kernels of convolutions — and not to biases or batch-norm
 * {@code gamma}/{@code beta}, which have rank 1 (decaying those only fights the normalisation). {@link #all} applies
 * it to every parameter, as PyTorch does for a single parameter group.
 *
 * <p>The L2 optimizers ({@code sgd}, {@code momentum}, {@code nesterov}, {@code adagrad}, {@code rmsprop},
 * {@code adam}) add {@code rate · W} to the gradient they use (the gradient tensor itself is not changed);
 * {@link AdamW} instead shrinks the weights directly, {@code W ← W − lr · rate · W}. Immutable.
 *
 * <p>Stability: evolving.
 */
public final class WeightDecay {
    private static final WeightDecay NONE = new WeightDecay(0, false);
    private final double rate;
    private final boolean all;

    private WeightDecay(double rate, boolean all) {
        checkArgument(Double.isFinite(rate) && rate >= 0, "weight_decay=%s must be finite and >= 0", rate);
        this.rate = rate;
        this.all = all;
    }

    /** No decay. */
    public static WeightDecay none() {
        return NONE;
    }

    /**
     * Decay of parameters of rank ≥ 2 only.
     *
     * @param rate finite and ≥ 0
     * @throws IllegalArgumentException otherwise
     */
    public static WeightDecay of(double rate) {
        return rate == 0 ? NONE : new WeightDecay(rate, false);
    }

    /** Decay of every parameter, biases and batch-norm parameters included. @throws IllegalArgumentException as {@link #of} */
    public static WeightDecay all(double rate) {
        return new WeightDecay(rate, true);
    }

    /** {@link #of} or {@link #all}, as {@code decayAll} says: the provider settings {@code weight_decay}, {@code decay_all}. */
    public static WeightDecay of(double rate, boolean decayAll) {
        return decayAll ? all(rate) : of(rate);
    }

    /** The decay coefficient. */
    public double rate() {
        return rate;
    }

    /** True if decay applies to every parameter, not only to those of rank ≥ 2. */
    public boolean decaysAll() {
        return all;
    }

    /** True if a non-zero decay applies to {@code p}: rate > 0, and rank ≥ 2 or {@link #decaysAll}. */
    public boolean appliesTo(Parameter p) {
        return rate > 0 && (all || p.value().shape().rank() >= 2);
    }

    @Override
    public String toString() {
        return rate == 0 ? "none" : rate + (all ? " (all parameters)" : " (rank >= 2)");
    }
}
