package org.nnj.optim;

import static com.google.common.base.Preconditions.checkArgument;

import org.nnj.api.Backend;
import org.nnj.api.Parameter;
import org.nnj.api.Tensor;

/**
 * Nesterov's accelerated gradient in PyTorch's form ({@code torch.optim.SGD(nesterov=True)}, dampening 0), with a
 * buffer {@code b} per parameter (zero at first, so {@code b = g} after the first step):
 * <pre>
 *   b ← μ · b + g
 *   W ← W − lr · (g + μ · b)
 * </pre>
 * where {@code g = dW + wd · W} if the {@link WeightDecay} applies to the parameter (by default only rank ≥ 2:
 * weights and kernels, not biases or batch-norm parameters), else {@code g = dW}. While the rate is constant this is
 * the same trajectory as Sutskever et al.'s form with the book's velocity {@code v = −lr · b}:
 * {@code v ← μv − lr·g; W ← W + μv − lr·g}. The book's own {@code Nesterov} class is not followed: its update
 * {@code W += μ²·v − (1 + μ)·lr·g} applies μ² to the already-updated velocity, which differs from both.
 *
 * <p>Stability: stable.
 */
public final class Nesterov extends AbstractOptimizer {
    /** The default learning rate, as the book's momentum. */
    public static final double DEFAULT_LR = 0.01;
    /** The default momentum μ. */
    public static final double DEFAULT_MOMENTUM = 0.9;
    private final double momentum;

    /**
     * @param lr          the learning rate, finite and &gt; 0
     * @param momentum    μ, in [0, 1)
     * @param weightDecay L2 weight decay, not null
     * @throws IllegalArgumentException if a value is out of range
     */
    public Nesterov(double lr, double momentum, WeightDecay weightDecay) {
        super("nesterov", lr, weightDecay);
        checkArgument(momentum >= 0 && momentum < 1, "nesterov: momentum=%s must be in [0, 1)", momentum);
        this.momentum = momentum;
    }

    /** With the given rate, momentum {@value #DEFAULT_MOMENTUM}, no weight decay. */
    public Nesterov(double lr) {
        this(lr, DEFAULT_MOMENTUM, WeightDecay.none());
    }

    /** The defaults: lr {@value #DEFAULT_LR}, momentum {@value #DEFAULT_MOMENTUM}, no weight decay. */
    public Nesterov() {
        this(DEFAULT_LR);
    }

    /** The momentum μ. */
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
        Tensor b = state.tensor(0);
        be.scale(b, momentum, b);
        be.axpy(1, grad, b);
        be.axpy(-lr, grad, p.value());
        be.axpy(-lr * momentum, b, p.value());
    }

    @Override
    protected String hyperParameters() {
        return ", momentum=" + momentum;
    }
}
