package org.nnj.core;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nnj.api.Parameter;
import org.nnj.api.Tensor;

/**
 * Stops training when a monitored metric has not improved for {@code patience} epochs, and keeps the weights of the
 * best epoch (Keras' {@code EarlyStopping(monitor, patience, min_delta, restore_best_weights=True)}). Give it to
 * {@link Trainer.Builder#earlyStopping}: after each epoch the trainer calls {@link #update}, stops once
 * {@link #stopped()} is true, and at the end of {@link Trainer#fit} puts the best epoch's weights back into the
 * network ({@link #restoreBest}), whether training stopped early or ran out of epochs (Keras restores only when it
 * stops early).
 *
 * <p>An epoch improves on the best so far if its value beats the best by more than {@code minDelta} (higher for
 * accuracies, lower for the loss); the first epoch with a finite value always improves; a non-finite value never does.
 * The best weights are copies of every parameter and layer state tensor ({@code BatchNorm1.running_mean}, the dropout
 * generators), taken after the best epoch.
 *
 * <p>The state (best value, its epoch, epochs without improvement, the best weights) is saved in checkpoints, so a
 * resumed run stops where an uninterrupted one would. Not thread-safe; one instance per run. Stability: evolving.
 */
public final class EarlyStopping {

    /** What is watched: a field of {@link EpochMetrics}, under the name the metrics files use. */
    public enum Monitor {
        /** The mean training loss of the epoch; lower is better. */
        LOSS("loss", false),
        /** The accuracy on the training split; higher is better. */
        TRAIN_ACC("train_acc", true),
        /** The accuracy on the test split (the held-out data of a run); higher is better. */
        TEST_ACC("test_acc", true);

        private final String label;
        private final boolean higherIsBetter;

        Monitor(String label, boolean higherIsBetter) {
            this.label = label;
            this.higherIsBetter = higherIsBetter;
        }

        /** {@code loss}, {@code train_acc} or {@code test_acc}. */
        public String label() {
            return label;
        }

        /** True for the accuracies. */
        public boolean higherIsBetter() {
            return higherIsBetter;
        }

        /** The monitored value of one epoch. */
        public double value(EpochMetrics m) {
            switch (this) {
                case LOSS:
                    return m.loss();
                case TRAIN_ACC:
                    return m.trainAcc();
                default:
                    return m.testAcc();
            }
        }

        /**
         * The monitor with label {@code text} ({@code loss}, {@code train_acc}, {@code test_acc}; case-insensitive,
         * {@code -} for {@code _} accepted).
         *
         * @throws IllegalArgumentException naming the text and the known labels
         */
        public static Monitor parse(String text) {
            String t = text.trim().toLowerCase(Locale.ROOT).replace('-', '_');
            for (Monitor m : values()) {
                if (m.label.equals(t)) {
                    return m;
                }
            }
            throw new IllegalArgumentException("unknown metric to monitor '" + text + "'; known: loss, train_acc, "
                    + "test_acc");
        }
    }

    private final Monitor monitor;
    private final int patience;
    private final double minDelta;
    private double best = Double.NaN;
    private int bestEpoch;
    private int wait;
    private boolean stopped;
    /** Qualified name → copy of the best epoch's tensor; empty until the first improvement. */
    private final Map<String, Tensor> bestWeights = new LinkedHashMap<>();

    /** Early stopping with {@code minDelta} 0: any improvement counts. */
    public EarlyStopping(Monitor monitor, int patience) {
        this(monitor, patience, 0);
    }

    /**
     * @param monitor  the metric watched
     * @param patience epochs without improvement after which training stops, at least 0 (0: at the first epoch that
     *                 does not improve)
     * @param minDelta how much better than the best an epoch must be to count as an improvement, at least 0
     * @throws IllegalArgumentException if {@code patience} or {@code minDelta} is negative or not finite
     */
    public EarlyStopping(Monitor monitor, int patience, double minDelta) {
        this.monitor = checkNotNull(monitor, "monitor");
        checkArgument(patience >= 0, "patience must be at least 0, got %s", patience);
        checkArgument(minDelta >= 0 && Double.isFinite(minDelta), "min delta must be finite and at least 0, got %s",
                minDelta);
        this.patience = patience;
        this.minDelta = minDelta;
    }

    /** The metric watched. */
    public Monitor monitor() {
        return monitor;
    }

    /** Epochs without improvement after which training stops. */
    public int patience() {
        return patience;
    }

    /** The smallest change that counts as an improvement. */
    public double minDelta() {
        return minDelta;
    }

    /** The best value so far; NaN before the first improvement. */
    public double best() {
        return best;
    }

    /** The epoch of the best value, 0 before the first improvement. */
    public int bestEpoch() {
        return bestEpoch;
    }

    /** Epochs since the best one. */
    public int epochsWithoutImprovement() {
        return wait;
    }

    /** True once {@code patience} epochs in a row did not improve: no further epoch should be trained. */
    public boolean stopped() {
        return stopped;
    }

    /**
     * Takes one epoch's metrics: on an improvement, remembers the value and copies the network's weights and state.
     *
     * @param metrics the epoch just trained and measured
     * @param network the network after that epoch
     * @return true if the epoch improved on the best
     */
    public boolean update(EpochMetrics metrics, Network network) {
        checkNotNull(network, "network");
        double v = monitor.value(checkNotNull(metrics, "metrics"));
        boolean improved = Double.isFinite(v) && (bestEpoch == 0
                || (monitor.higherIsBetter ? v - minDelta > best : v + minDelta < best));
        if (improved) {
            best = v;
            bestEpoch = metrics.epoch();
            wait = 0;
            for (Map.Entry<String, Tensor> e : tensors(network).entrySet()) {
                Tensor t = e.getValue();
                Tensor copy = bestWeights.get(e.getKey());
                if (copy == null || !copy.shape().equals(t.shape()) || copy.dtype() != t.dtype()) {
                    copy = t.backend().zeros(t.dtype(), t.shape());
                    bestWeights.put(e.getKey(), copy);
                }
                t.backend().copy(t, copy);
            }
        } else {
            wait++;
            if (wait >= patience) {
                stopped = true;
            }
        }
        return improved;
    }

    /**
     * Copies the best epoch's weights and state back into {@code network}; nothing happens before the first
     * improvement.
     *
     * @return true if weights were restored
     * @throws IllegalArgumentException if the network's tensors are not those the best weights were taken from
     */
    public boolean restoreBest(Network network) {
        if (bestWeights.isEmpty()) {
            return false;
        }
        Map<String, Tensor> live = tensors(network);
        checkArgument(live.keySet().equals(bestWeights.keySet()), "the best weights are of tensors %s, the network "
                + "has %s", bestWeights.keySet(), live.keySet());
        for (Map.Entry<String, Tensor> e : live.entrySet()) {
            e.getValue().backend().copy(bestWeights.get(e.getKey()), e.getValue());
        }
        return true;
    }

    /**
     * The best epoch's weights and state under qualified names (unmodifiable, live copies; empty before the first
     * improvement): what a checkpoint saves.
     */
    public Map<String, Tensor> bestWeights() {
        return java.util.Collections.unmodifiableMap(bestWeights);
    }

    /**
     * Puts back a state saved from {@link #best()}, {@link #bestEpoch()}, {@link #epochsWithoutImprovement()},
     * {@link #stopped()} and {@link #bestWeights()} (the tensors are kept, not copied). For checkpoint loaders.
     *
     * @throws IllegalArgumentException if the values are inconsistent (an epoch below 0, weights without a best epoch
     *     or the reverse)
     */
    public void restoreState(double bestValue, int bestEpochNumber, int epochsWithoutImprovement, boolean isStopped,
                             Map<String, Tensor> weights) {
        checkArgument(bestEpochNumber >= 0 && epochsWithoutImprovement >= 0, "epochs must be at least 0, got best "
                + "epoch %s and %s epochs without improvement", bestEpochNumber, epochsWithoutImprovement);
        checkArgument((bestEpochNumber == 0) == weights.isEmpty(), "best weights are needed exactly when there is a "
                + "best epoch (%s), found %s tensors", bestEpochNumber, weights.size());
        checkArgument(bestEpochNumber == 0 || Double.isFinite(bestValue), "the best value must be finite, got %s",
                bestValue);
        this.best = bestEpochNumber == 0 ? Double.NaN : bestValue;
        this.bestEpoch = bestEpochNumber;
        this.wait = epochsWithoutImprovement;
        this.stopped = isStopped;
        bestWeights.clear();
        bestWeights.putAll(weights);
    }

    /** Every parameter's value and every layer state tensor, under qualified names in layer order (live). */
    static Map<String, Tensor> tensors(Network network) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        List<Parameter> ps = network.parameters();
        for (Parameter p : ps) {
            m.put(p.name(), p.value());
        }
        m.putAll(network.state());
        return m;
    }

    /** E.g. {@code test_acc patience 3} (and {@code min_delta} if not 0). */
    @Override
    public String toString() {
        return monitor.label + " patience " + patience + (minDelta == 0 ? "" : " min_delta " + minDelta);
    }
}
