package org.nnj.optim;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * Cosine annealing from {@code lr} at epoch 0 to {@code min_lr} at epoch {@code t_max}, PyTorch's closed form
 * ({@code CosineAnnealingLR}, without restarts):
 * <pre>
 *   rate(e) = min_lr + (lr − min_lr) · (1 + cos(π · e / t_max)) / 2     for e ≤ t_max
 *   rate(e) = min_lr                                                      for e &gt; t_max
 * </pre>
 * After {@code t_max} the rate stays at {@code min_lr} (PyTorch's formula would rise again). To end a run of
 * {@code E} epochs exactly at {@code min_lr}, use {@code t_max = E − 1}; with {@code t_max = E}, PyTorch's usual
 * choice, the last epoch runs just above it. Schedule name {@code cosine}. Immutable.
 *
 * <p>Stability: evolving.
 */
public final class CosineAnnealing implements LearningRateSchedule {
    private final double lr;
    private final double minLr;
    private final int tMax;

    /**
     * @param lr    the rate of epoch 0, finite and &gt; 0
     * @param minLr the final rate, in [0, lr]
     * @param tMax  the epoch at which {@code minLr} is reached, ≥ 1
     * @throws IllegalArgumentException if a value is out of range
     */
    public CosineAnnealing(double lr, double minLr, int tMax) {
        checkArgument(Double.isFinite(lr) && lr > 0, "cosine: lr=%s must be finite and > 0", lr);
        checkArgument(minLr >= 0 && minLr <= lr, "cosine: min_lr=%s must be in [0, lr=%s]", minLr, lr);
        checkArgument(tMax >= 1, "cosine: t_max=%s must be >= 1", tMax);
        this.lr = lr;
        this.minLr = minLr;
        this.tMax = tMax;
    }

    @Override
    public double rate(int epoch) {
        if (LearningRateSchedule.checkEpoch(epoch) >= tMax) {
            return minLr;
        }
        return minLr + (lr - minLr) * (1 + Math.cos(Math.PI * epoch / tMax)) / 2;
    }

    @Override
    public String toString() {
        return "CosineAnnealing(lr=" + lr + ", min_lr=" + minLr + ", t_max=" + tMax + ")";
    }
}
