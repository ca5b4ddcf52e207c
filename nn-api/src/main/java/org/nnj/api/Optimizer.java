package org.nnj.api;

import java.util.List;
import java.util.Map;

/**
 * Updates parameters from their gradients (the book's {@code update(params, grads)}). Optimizers that keep state
 * (momentum, Adam's moments) create it lazily on first use, keyed by {@link Parameter#name()}.
 *
 * <p>Saving and resuming: {@link #state()} and {@link #stateCounters()} expose everything a later {@link #step} depends
 * on besides the parameters and the learning rate, and {@link #loadState} puts it back into a fresh optimizer of the
 * same kind and settings, so that training continues exactly as if it had never stopped.
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

    /**
     * The state tensors of this optimizer, keyed {@code <qualified parameter name>/<slot>} (e.g. {@code Affine1.W/0}
     * for the first of the tensors kept for {@code Affine1.W}), sorted by key. The tensors are live: read them, do
     * not keep them across steps. Empty by default (an optimizer without state, such as plain SGD).
     */
    default Map<String, Tensor> state() {
        return Map.of();
    }

    /**
     * The counters of this optimizer (step counts), sorted by key: by convention {@code steps} for the calls to
     * {@link #step} and {@code <qualified parameter name>/steps} for each parameter's own count. Empty by default.
     */
    default Map<String, Long> stateCounters() {
        return Map.of();
    }

    /**
     * Replaces this optimizer's state with state taken from {@link #state()} and {@link #stateCounters()} of an
     * optimizer of the same kind and settings (the values are copied; the maps are not kept). Everything is checked
     * before anything changes.
     *
     * @param tensors  as returned by {@link #state()}, possibly read back from a file
     * @param counters as returned by {@link #stateCounters()}
     * @throws IllegalArgumentException naming the first key that is unknown, missing, or whose shape or value does
     *     not fit
     * @throws UnsupportedOperationException if this optimizer keeps no state and {@code tensors} or {@code counters}
     *     is not empty
     */
    default void loadState(Map<String, Tensor> tensors, Map<String, Long> counters) {
        if (!tensors.isEmpty() || !counters.isEmpty()) {
            throw new UnsupportedOperationException(getClass().getSimpleName() + " keeps no state to load");
        }
    }
}
