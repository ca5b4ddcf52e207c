package org.nnj.optim;

/**
 * An optimizer whose learning rate can be read and changed between steps, so that a trainer can apply a
 * {@link LearningRateSchedule} once per epoch. Every optimizer of this package implements it.
 *
 * <p>Stability: evolving — these two methods may move to {@link org.nnj.api.Optimizer} as default methods.
 */
public interface HasLearningRate {

    /** The learning rate the next {@code step} will use. */
    double learningRate();

    /**
     * Sets the learning rate for the following steps; the optimizer's state (moments, step count) is kept.
     *
     * @param lr finite and ≥ 0 (0 is allowed so that a schedule may anneal to nothing)
     * @throws IllegalArgumentException otherwise, naming the value
     */
    void setLearningRate(double lr);
}
