package org.nnj.api;

import java.util.List;

/**
 * Updates parameters from their gradients (the book's {@code update(params, grads)}). Optimizers that keep state
 * (momentum, Adam's moments) create it lazily on first use, keyed by {@link Parameter#name()}.
 *
 * <p>Stability: stable.
 */
public interface Optimizer {

    /**
     * One update of every parameter's value from its current gradient. Does not zero the gradients.
     *
     * @param parameters parameters with unique qualified names
     */
    void step(List<Parameter> parameters);

    /**
     * The current learning rate, for schedules and logs.
     *
     * @throws UnsupportedOperationException if this optimizer has no single learning rate
     */
    default double learningRate() {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " has no learning rate");
    }

    /**
     * Sets the learning rate (a schedule calls this between epochs).
     *
     * @throws IllegalArgumentException if {@code lr} is negative or not finite
     * @throws UnsupportedOperationException if this optimizer has no single learning rate
     */
    default void setLearningRate(double lr) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " has no learning rate");
    }
}
