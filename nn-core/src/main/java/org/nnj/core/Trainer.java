package org.nnj.core;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.IntToDoubleFunction;
import org.nnj.api.Backend;
import org.nnj.api.DType;
import org.nnj.api.Optimizer;
import org.nnj.api.Parameter;
import org.nnj.api.Tensor;
import org.nnj.api.TrainingDivergedException;
import org.nnj.api.data.DataSplit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mini-batch training as the book does it: every epoch shuffles the training split with a seeded generator, walks it
 * in {@code size / batchSize} batches (the remainder is left out of that epoch), and for each batch computes the
 * gradient by backpropagation and lets the optimizer step the weights. After each epoch it measures the accuracy on
 * both splits, logs one line through SLF4J and tells its listeners.
 *
 * <p>A non-finite loss or gradient stops training at once with {@link TrainingDivergedException}, before the
 * optimizer touches the weights, and so does an update that makes a weight non-finite (the weights are then put back
 * as they were before it): either way the network keeps the weights of the last finite step, and layer state that
 * the failing step changed (batch-norm running statistics, dropout generators) is put back as it was after that step
 * too. The message names the step and the first parameter, in layer order, whose gradient or value is not finite.
 *
 * <p>With {@link Builder#earlyStopping}, training stops once the monitored metric has not improved for the patience,
 * and the best epoch's weights are put back at the end (see {@link EarlyStopping}).
 *
 * <p>The same seed, data, network and optimizer give bit-identical results. Stability: stable.
 */
public final class Trainer {
    private static final Logger log = LoggerFactory.getLogger(Trainer.class);

    private final int epochs;
    private final int batchSize;
    private final long seed;
    private final int evalBatchSize;
    private final List<TrainingListener> listeners;
    private final IntToDoubleFunction schedule;
    private final int completedEpochs;
    private final EarlyStopping earlyStopping;

    private Trainer(Builder b) {
        this.epochs = b.epochs;
        this.batchSize = b.batchSize;
        this.seed = b.seed;
        this.evalBatchSize = b.evalBatchSize;
        this.listeners = List.copyOf(b.listeners);
        this.schedule = b.schedule;
        this.completedEpochs = b.completedEpochs;
        this.earlyStopping = b.earlyStopping;
    }

    /** A builder with the book's defaults: 17 epochs (10,000 steps of 100 on 60,000 images), batch 100, seed 0. */
    public static Builder builder() {
        return new Builder();
    }

    /** Settings of a {@link Trainer}. */
    public static final class Builder {
        private int epochs = 17;
        private int batchSize = 100;
        private long seed;
        private int evalBatchSize = 1000;
        private final List<TrainingListener> listeners = new ArrayList<>();
        private IntToDoubleFunction schedule;
        private int completedEpochs;
        private EarlyStopping earlyStopping;

        private Builder() {
        }

        /**
         * Early stopping: after each epoch {@link EarlyStopping#update} sees the metrics (before the listeners hear
         * of the epoch, so that a listener saving a checkpoint saves the updated state), training ends once it has
         * {@link EarlyStopping#stopped() stopped}, and at the end of {@link #fit} the best epoch's weights are put
         * back into the network. A restored instance (from a checkpoint) that has already stopped trains no epoch.
         * None by default.
         */
        public Builder earlyStopping(EarlyStopping stopping) {
            this.earlyStopping = checkNotNull(stopping, "stopping");
            return this;
        }

        /**
         * Resumes a run of which the first {@code completed} epochs are done (a checkpoint's epoch): {@link #fit}
         * replays those epochs' shuffles, which only draw from the seeded generator and cost no training, and then
         * trains epochs {@code completed + 1} to {@code epochs}. With the network and optimizer restored from the
         * checkpoint and the same seed, batch size and data, the result is bit-identical to an uninterrupted run.
         * 0 by default.
         */
        public Builder completedEpochs(int completed) {
            checkArgument(completed >= 0, "completed epochs must be at least 0, got %s", completed);
            this.completedEpochs = completed;
            return this;
        }

        /**
         * A learning-rate schedule: before each epoch {@code e} (counted from 0) the optimizer's rate is set to
         * {@code schedule.applyAsDouble(e)} through {@link Optimizer#setLearningRate}. None by default.
         */
        public Builder learningRateSchedule(IntToDoubleFunction schedule) {
            this.schedule = checkNotNull(schedule, "schedule");
            return this;
        }

        /** Number of epochs, at least 1. */
        public Builder epochs(int epochs) {
            checkArgument(epochs >= 1, "epochs must be at least 1, got %s", epochs);
            this.epochs = epochs;
            return this;
        }

        /** Mini-batch size, at least 1. */
        public Builder batchSize(int batchSize) {
            checkArgument(batchSize >= 1, "batch size must be at least 1, got %s", batchSize);
            this.batchSize = batchSize;
            return this;
        }

        /** Seed of the shuffling generator. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Batch size used to measure accuracy (larger is faster, costs memory), at least 1. */
        public Builder evalBatchSize(int evalBatchSize) {
            checkArgument(evalBatchSize >= 1, "evaluation batch size must be at least 1, got %s", evalBatchSize);
            this.evalBatchSize = evalBatchSize;
            return this;
        }

        /** Adds a listener. */
        public Builder listener(TrainingListener listener) {
            listeners.add(checkNotNull(listener, "listener"));
            return this;
        }

        /** The trainer. */
        public Trainer build() {
            return new Trainer(this);
        }
    }

    /**
     * Trains {@code network} on {@code train}, measuring accuracy on {@code train} and {@code test} after each
     * epoch. Batches are allocated in the backend and dtype of the network's first parameter.
     *
     * @return one entry per epoch trained (after the {@link Builder#completedEpochs completed} ones); fewer than
     *     {@code epochs - completed} if early stopping ended the run
     * @throws TrainingDivergedException if a loss or gradient becomes non-finite
     * @throws IllegalArgumentException if the training split is smaller than one batch or the network has no parameters
     */
    public List<EpochMetrics> fit(Network network, Optimizer optimizer, DataSplit train, DataSplit test) {
        checkArgument(!network.parameters().isEmpty(), "the network has no parameters to train");
        checkArgument(train.size() >= batchSize, "the training split has %s samples, fewer than one batch of %s",
                train.size(), batchSize);
        checkArgument(completedEpochs <= epochs, "%s epochs are already completed, more than the %s to train",
                completedEpochs, epochs);
        Parameter first = network.parameters().get(0);
        Backend backend = first.value().backend();
        DType dtype = first.value().dtype();
        int steps = train.size() / batchSize;
        Tensor x = backend.zeros(dtype, train.sampleShape().withBatch(batchSize));
        Tensor t = backend.zeros(dtype, org.nnj.api.Shape.of(batchSize));
        int[] order = new int[train.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Random random = new Random(seed);
        List<EpochMetrics> history = new ArrayList<>();
        // the layer state before the current step, put back if the step diverges
        Map<String, Tensor> state = network.state();
        Map<String, Tensor> before = new LinkedHashMap<>();
        state.forEach((name, live) -> before.put(name, live.backend().zeros(live.dtype(), live.shape())));
        List<Parameter> params = network.parameters();
        List<Tensor> previous = new ArrayList<>();
        for (Parameter p : params) {
            previous.add(p.value().backend().zeros(p.value().dtype(), p.value().shape()));
        }
        listeners.forEach(l -> l.onStart(epochs, steps));
        for (int epoch = 1; epoch <= completedEpochs; epoch++) {
            shuffle(order, random); // replay: the generator and the order are then as after that epoch
        }
        long globalStep = (long) completedEpochs * steps;
        for (int epoch = completedEpochs + 1; epoch <= epochs; epoch++) {
            if (earlyStopping != null && earlyStopping.stopped()) {
                break;
            }
            shuffle(order, random);
            if (schedule != null) {
                optimizer.setLearningRate(schedule.applyAsDouble(epoch - 1));
            }
            long start = System.nanoTime();
            double lossSum = 0;
            for (int s = 0; s < steps; s++) {
                globalStep++;
                train.gather(order, s * batchSize, batchSize, x, t);
                state.forEach((name, live) -> live.backend().copy(live, before.get(name)));
                double loss = network.gradient(x, t);
                try {
                    checkFinite(network, loss, globalStep, epoch, s + 1);
                } catch (TrainingDivergedException e) {
                    state.forEach((name, live) -> live.backend().copy(before.get(name), live));
                    throw e;
                }
                for (int i = 0; i < params.size(); i++) {
                    params.get(i).value().backend().copy(params.get(i).value(), previous.get(i));
                }
                optimizer.step(params);
                for (Parameter p : params) {
                    if (!p.value().backend().allFinite(p.value())) {
                        for (int i = 0; i < params.size(); i++) {
                            params.get(i).value().backend().copy(previous.get(i), params.get(i).value());
                        }
                        state.forEach((name, live) -> live.backend().copy(before.get(name), live));
                        throw new TrainingDivergedException("training diverged at step " + globalStep + " (epoch "
                                + epoch + ", batch " + (s + 1) + "): the update made " + p.name() + " non-finite "
                                + "(loss " + loss + ", learning rate " + rate(optimizer) + "); try a lower learning "
                                + "rate");
                    }
                }
                lossSum += loss;
                for (TrainingListener l : listeners) {
                    l.onStep(epoch, s + 1, loss);
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            double trainAcc = accuracy(network, train, backend, dtype);
            double testAcc = accuracy(network, test, backend, dtype);
            EpochMetrics m = new EpochMetrics(epoch, lossSum / steps, trainAcc, testAcc, seconds);
            history.add(m);
            log.info(String.format(Locale.ROOT, "epoch %d/%d loss %.4f train_acc %.4f test_acc %.4f (%.2f s)",
                    epoch, epochs, m.loss(), trainAcc, testAcc, seconds));
            if (earlyStopping != null) {
                earlyStopping.update(m, network);
            }
            listeners.forEach(l -> l.onEpoch(m));
            if (earlyStopping != null && earlyStopping.stopped()) {
                log.info("early stopping after epoch {}: {} has not improved for {} epochs (best {} at epoch {})",
                        epoch, earlyStopping.monitor().label(), earlyStopping.epochsWithoutImprovement(),
                        earlyStopping.best(), earlyStopping.bestEpoch());
            }
        }
        if (earlyStopping != null && earlyStopping.restoreBest(network)) {
            log.info("restored the weights of epoch {} ({} {})", earlyStopping.bestEpoch(),
                    earlyStopping.monitor().label(), earlyStopping.best());
        }
        return history;
    }

    private static void checkFinite(Network network, double loss, long step, int epoch, int batch) {
        String where = "step " + step + " (epoch " + epoch + ", batch " + batch + ")";
        for (Parameter p : network.parameters()) {
            if (!p.grad().backend().allFinite(p.grad())) {
                throw new TrainingDivergedException("training diverged at " + where + ": the gradient of "
                        + p.name() + " is not finite (loss " + loss + "); try a lower learning rate");
            }
        }
        if (!Double.isFinite(loss)) {
            throw new TrainingDivergedException("training diverged at " + where + ": the loss is " + loss
                    + "; try a lower learning rate");
        }
    }

    private static String rate(Optimizer optimizer) {
        try {
            return Double.toString(optimizer.learningRate());
        } catch (UnsupportedOperationException e) {
            return "unknown";
        }
    }

    /** Fisher–Yates with the given generator, so that the order depends only on the seed. */
    static void shuffle(int[] a, Random random) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int tmp = a[i];
            a[i] = a[j];
            a[j] = tmp;
        }
    }

    /**
     * The accuracy of {@code network} on a whole split, in batches of the evaluation batch size.
     */
    public double accuracy(Network network, DataSplit split) {
        Parameter first = network.parameters().get(0);
        return accuracy(network, split, first.value().backend(), first.value().dtype());
    }

    private double accuracy(Network network, DataSplit split, Backend backend, DType dtype) {
        int n = split.size();
        if (n == 0) {
            return Double.NaN;
        }
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = i;
        }
        int chunk = Math.min(evalBatchSize, n);
        Tensor x = backend.zeros(dtype, split.sampleShape().withBatch(chunk));
        Tensor t = backend.zeros(dtype, org.nnj.api.Shape.of(chunk));
        long correct = 0;
        for (int from = 0; from < n; from += chunk) {
            int count = Math.min(chunk, n - from);
            if (count != chunk) {
                x = backend.zeros(dtype, split.sampleShape().withBatch(count));
                t = backend.zeros(dtype, org.nnj.api.Shape.of(count));
            }
            split.gather(all, from, count, x, t);
            correct += network.correct(network.predict(x), t);
        }
        return (double) correct / n;
    }
}
