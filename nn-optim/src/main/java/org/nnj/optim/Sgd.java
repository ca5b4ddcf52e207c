package org.nnj.optim;

import org.nnj.api.Parameter;
import org.nnj.api.Tensor;

/**
 * Stochastic gradient descent, the book's {@code SGD}: {@code W ← W − lr · g}, computed by
 * {@link org.nnj.api.Backend#axpy} on the parameter's own backend, where {@code g = dW + wd · W} if the
 * {@link WeightDecay} applies to the parameter (by default only to parameters of rank ≥ 2, so not to biases or
 * batch-norm parameters) and {@code g = dW} otherwise. Keeps no state but a scratch tensor for the decayed gradient;
 * does not zero the gradients.
 *
 * <p>Stability: stable.
 */
public final class Sgd extends AbstractOptimizer {
    /** The book's default learning rate. */
    public static final double DEFAULT_LR = 0.01;

    /**
     * @param lr          the learning rate, finite and &gt; 0
     * @param weightDecay L2 weight decay, not null
     * @throws IllegalArgumentException if {@code lr} is out of range
     */
    public Sgd(double lr, WeightDecay weightDecay) {
        super("sgd", lr, weightDecay);
    }

    /** Without weight decay. @throws IllegalArgumentException unless {@code lr} is finite and &gt; 0 */
    public Sgd(double lr) {
        this(lr, WeightDecay.none());
    }

    /** A step of the book's default size, {@value #DEFAULT_LR}, without weight decay. */
    public Sgd() {
        this(DEFAULT_LR);
    }

    @Override
    protected int stateTensors() {
        return 0;
    }

    @Override
    protected void update(Parameter p, Tensor grad, State state, double lr) {
        p.value().backend().axpy(-lr, grad, p.value());
    }
}
