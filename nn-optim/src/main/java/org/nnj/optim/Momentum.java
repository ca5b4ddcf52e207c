package org.nnj.optim;

import static com.google.common.base.Preconditions.checkArgument;

import org.nnj.api.Backend;
import org.nnj.api.Parameter;
import org.nnj.api.Tensor;

/**
 * Momentum SGD in the book's form, with a velocity {@code v} per parameter (zero at first):
 * <pre>
 *   v ← α · v − lr · g
 *   W ← W + v
 * </pre>
 * where {@code g = dW + wd · W} if the {@link WeightDecay} applies to the parameter (by default only rank ≥ 2:
 * weights and kernels, not biases or batch-norm parameters), else {@code g = dW}. The learning rate sits inside the
 * velocity, as in the book: after a change of learning rate the old velocity keeps the old rate's scale (PyTorch
 * keeps {@code v ← α·v + g} and multiplies by the current rate instead; the two agree while the rate is constant).
 *
 * <p>Stability: stable.
 */
public final class Momentum extends AbstractOptimizer {
    /** The book's default learning rate. */
    public static final double DEFAULT_LR = 0.01;
    /** The book's default momentum α. */
    public static final double DEFAULT_MOMENTUM = 0.9;
    private final double momentum;

    /**
     * @param lr          the learning rate, finite and &gt; 0
     * @param momentum    α, in [0, 1)
     * @param weightDecay L2 weight decay, not null
     * @throws IllegalArgumentException if a value is out of range
     */
    public Momentum(double lr, double momentum, WeightDecay weightDecay) {
        super("momentum", lr, weightDecay);
        checkArgument(momentum >= 0 && momentum < 1, "momentum: momentum=%s must be in [0, 1)", momentum);
        this.momentum = momentum;
    }

    /** With the given rate, momentum {@value #DEFAULT_MOMENTUM}, no weight decay. */
    public Momentum(double lr) {
        this(lr, DEFAULT_MOMENTUM, WeightDecay.none());
    }

    /** The book's defaults: lr {@value #DEFAULT_LR}, momentum {@value #DEFAULT_MOMENTUM}, no weight decay. */
    public Momentum() {
        this(DEFAULT_LR);
    }

    /** The momentum α. */
    public double momentum() {
        return momentum;
    }

    @Override
    protected int stateTensors() {
        return 1;
    }

    @Override
    protected void update(Parameter p, Tensor grad, State state, double lr) {
        Backend be = p.value().backend();
        Tensor v = state.tensor(0);
        be.scale(v, momentum, v);
        be.axpy(-lr, grad, v);
        be.axpy(1, v, p.value());
    }

    @Override
    protected String hyperParameters() {
        return ", momentum=" + momentum;
    }
}
