package org.nnj.core;

/**
 * Hears a {@link Trainer}'s progress, e.g. to draw a progress bar or write metrics. All methods have empty defaults.
 *
 * <p>Stability: stable.
 */
public interface TrainingListener {

    /** Before the first epoch. */
    default void onStart(int epochs, int stepsPerEpoch) {
    }

    /** After each training step. @param step 1-based within the epoch */
    default void onStep(int epoch, int step, double loss) {
    }

    /** After each epoch's evaluation. */
    default void onEpoch(EpochMetrics metrics) {
    }
}
