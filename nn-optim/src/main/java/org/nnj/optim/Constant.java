package org.nnj.optim;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * The same rate every epoch. Schedule name {@code constant}, no settings. Immutable.
 *
 * <p>Stability: evolving.
 */
public final class Constant implements LearningRateSchedule {
    private final double lr;

    /** @param lr finite and &gt; 0 @throws IllegalArgumentException otherwise */
    public Constant(double lr) {
        checkArgument(Double.isFinite(lr) && lr > 0, "constant: lr=%s must be finite and > 0", lr);
        this.lr = lr;
    }

    @Override
    public double rate(int epoch) {
        LearningRateSchedule.checkEpoch(epoch);
        return lr;
    }

    @Override
    public String toString() {
        return "Constant(lr=" + lr + ")";
    }
}
