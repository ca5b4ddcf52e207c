package org.nnj.optim;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.List;
import java.util.Objects;
import org.nnj.api.Optimizer;
import org.nnj.api.Parameter;

/**
 * Stochastic gradient descent, the book's {@code SGD}: {@code W ← W − lr · dW} for every parameter, computed by
 * {@link org.nnj.api.Backend#axpy} on the parameter's own backend. Keeps no state; does not zero the gradients.
 *
 * <p>Stability: stable.
 */
public final class Sgd implements Optimizer {
    /** The book's default learning rate. */
    public static final double DEFAULT_LR = 0.01;
    private final double lr;

    /**
     * @param lr the learning rate, finite and greater than 0
     * @throws IllegalArgumentException otherwise
     */
    public Sgd(double lr) {
        checkArgument(Double.isFinite(lr) && lr > 0, "sgd: learning rate lr=%s must be finite and > 0", lr);
        this.lr = lr;
    }

    /** A step of the book's default size, {@value #DEFAULT_LR}. */
    public Sgd() {
        this(DEFAULT_LR);
    }

    /** The learning rate. */
    public double lr() {
        return lr;
    }

    @Override
    public void step(List<Parameter> parameters) {
        Objects.requireNonNull(parameters, "parameters");
        for (Parameter p : parameters) {
            p.value().backend().axpy(-lr, p.grad(), p.value());
        }
    }

    @Override
    public String toString() {
        return "Sgd(lr=" + lr + ")";
    }
}
