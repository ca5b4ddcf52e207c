package org.nnj.core.io;

import static com.google.common.base.Preconditions.checkNotNull;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.nnj.api.DataFormatException;
import org.nnj.api.Optimizer;
import org.nnj.api.Tensor;
import org.nnj.core.EarlyStopping;
import org.nnj.core.EpochMetrics;
import org.nnj.core.Network;
import org.nnj.core.Registry;

/**
 * A loaded training checkpoint (see {@link ModelStore#loadCheckpoint}): the network with its saved weights, the
 * number of finished epochs, their metrics, and the optimizer's state, which {@link #restoreOptimizer} puts into a
 * fresh optimizer of the same kind and settings. To continue, train with
 * {@code Trainer.builder().epochs(total).completedEpochs(checkpoint.epoch())} (and
 * {@code .earlyStopping(checkpoint.earlyStopping().get())} if the run had it) and the same seed, schedule and data:
 * the result is bit-identical to a run that never stopped.
 *
 * <p>Stability: evolving.
 */
public final class Checkpoint {
    private final Network network;
    private final NetworkSpec spec;
    private final int epoch;
    private final List<EpochMetrics> history;
    private final String optimizerClass;
    private final OptionalDouble learningRate;
    private final Map<String, Tensor> optimizerState;
    private final Map<String, Long> optimizerCounters;
    private final Path optimizerFile;
    private final EarlyStopping earlyStopping;
    private final Map<String, String> run;

    Checkpoint(Network network, NetworkSpec spec, int epoch, List<EpochMetrics> history, String optimizerClass,
               OptionalDouble learningRate, Map<String, Tensor> optimizerState, Map<String, Long> optimizerCounters,
               Path optimizerFile, EarlyStopping earlyStopping, Map<String, String> run) {
        this.network = network;
        this.spec = spec;
        this.epoch = epoch;
        this.history = List.copyOf(history);
        this.optimizerClass = optimizerClass;
        this.learningRate = learningRate;
        this.optimizerState = Map.copyOf(optimizerState);
        this.optimizerCounters = Map.copyOf(optimizerCounters);
        this.optimizerFile = optimizerFile;
        this.earlyStopping = earlyStopping;
        this.run = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(run));
    }

    /**
     * The run's early stopping as it was when saved (best value, its epoch, epochs without improvement, best weights),
     * ready to pass to {@code Trainer.Builder.earlyStopping}; empty if the run had none.
     */
    public Optional<EarlyStopping> earlyStopping() {
        return Optional.ofNullable(earlyStopping);
    }

    /** The caller's settings of the run, as saved (in their order); empty if none were saved. */
    public Map<String, String> run() {
        return run;
    }

    /** The network, with the saved weights and layer state. */
    public Network network() {
        return network;
    }

    /** The saved spec (with the optimizer and training settings, if they were saved). */
    public NetworkSpec spec() {
        return spec;
    }

    /** Epochs finished when the checkpoint was saved. */
    public int epoch() {
        return epoch;
    }

    /** The metrics of the finished epochs. */
    public List<EpochMetrics> history() {
        return history;
    }

    /** The class of the optimizer that was saved. */
    public String optimizerClass() {
        return optimizerClass;
    }

    /** The optimizer's learning rate when saved, if it had one. */
    public OptionalDouble learningRate() {
        return learningRate;
    }

    /**
     * Puts the saved state (and learning rate) into {@code optimizer}, which must be of the saved class and made
     * with the same settings.
     *
     * @throws DataFormatException naming the optimizer file if the optimizer is of another class or its state does
     *     not fit
     */
    public void restoreOptimizer(Optimizer optimizer) {
        checkNotNull(optimizer, "optimizer");
        if (!optimizer.getClass().getName().equals(optimizerClass)) {
            throw new DataFormatException(optimizerFile + ": expected an optimizer of class " + optimizerClass
                    + ", found " + optimizer.getClass().getName());
        }
        try {
            optimizer.loadState(optimizerState, optimizerCounters);
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            throw new DataFormatException(optimizerFile + ": " + e.getMessage(), e);
        }
        if (learningRate.isPresent()) {
            optimizer.setLearningRate(learningRate.getAsDouble());
        }
    }

    /**
     * A new optimizer as the saved spec names it, with the saved state restored.
     *
     * @throws IllegalStateException if the saved spec names no optimizer
     * @throws DataFormatException naming the optimizer file if the state does not fit
     */
    public Optimizer optimizer(Registry registry) {
        NetworkSpec.Component c = spec.optimizer().orElseThrow(() -> new IllegalStateException(
                "the checkpoint's " + ModelStore.NETWORK_FILE + " names no optimizer; create one and call "
                        + "restoreOptimizer"));
        Optimizer o = registry.optimizer(c.provider(), c.settings());
        restoreOptimizer(o);
        return o;
    }
}
