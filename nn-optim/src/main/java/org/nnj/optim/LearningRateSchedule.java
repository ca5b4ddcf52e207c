package org.nnj.optim;

/**
 * A learning rate per epoch. A trainer calls {@link #applyTo} (or {@link #rate}) once at the start of each epoch,
 * counting epochs from 0; {@code rate(0)} is the initial rate. Implementations are immutable and pure: the rate
 * depends only on the epoch, so a run can resume at any epoch.
 *
 * <p>Stability: evolving.
 */
public interface LearningRateSchedule {

    /**
     * The learning rate for {@code epoch}.
     *
     * @param epoch the 0-based epoch, ≥ 0
     * @return a finite rate ≥ 0
     * @throws IllegalArgumentException if {@code epoch} is negative
     */
    double rate(int epoch);

    /** Sets {@code optimizer}'s learning rate to {@link #rate rate(epoch)}. */
    default void applyTo(HasLearningRate optimizer, int epoch) {
        optimizer.setLearningRate(rate(epoch));
    }

    /** Rejects a negative epoch; for implementations. @throws IllegalArgumentException if {@code epoch < 0} */
    static int checkEpoch(int epoch) {
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch=" + epoch + " must be >= 0");
        }
        return epoch;
    }
}
