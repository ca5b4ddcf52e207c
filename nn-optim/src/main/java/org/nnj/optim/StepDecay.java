package org.nnj.optim;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * Step decay, as PyTorch's {@code StepLR}: {@code rate(e) = lr · gamma^⌊e / step_size⌋}, i.e. the rate is multiplied
 * by {@code gamma} after every {@code step_size} epochs. With {@code lr = 0.1, step_size = 2, gamma = 0.5}: epochs 0,
 * 1 → 0.1; 2, 3 → 0.05; 4 → 0.025. Schedule name {@code step}. Immutable.
 *
 * <p>Stability: evolving.
 */
public final class StepDecay implements LearningRateSchedule {
    /** The default factor (PyTorch's). */
    public static final double DEFAULT_GAMMA = 0.1;
    private final double lr;
    private final int stepSize;
    private final double gamma;

    /**
     * @param lr       the rate of epoch 0, finite and &gt; 0
     * @param stepSize epochs between decays, ≥ 1
     * @param gamma    the factor, in (0, 1]
     * @throws IllegalArgumentException if a value is out of range
     */
    public StepDecay(double lr, int stepSize, double gamma) {
        checkArgument(Double.isFinite(lr) && lr > 0, "step: lr=%s must be finite and > 0", lr);
        checkArgument(stepSize >= 1, "step: step_size=%s must be >= 1", stepSize);
        checkArgument(gamma > 0 && gamma <= 1, "step: gamma=%s must be in (0, 1]", gamma);
        this.lr = lr;
        this.stepSize = stepSize;
        this.gamma = gamma;
    }

    @Override
    public double rate(int epoch) {
        return lr * Math.pow(gamma, LearningRateSchedule.checkEpoch(epoch) / stepSize);
    }

    @Override
    public String toString() {
        return "StepDecay(lr=" + lr + ", step_size=" + stepSize + ", gamma=" + gamma + ")";
    }
}
