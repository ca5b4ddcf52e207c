package org.nnj.examples;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.nnj.api.Backend;
import org.nnj.api.DType;
import org.nnj.api.DataFormatException;
import org.nnj.api.Optimizer;
import org.nnj.api.Settings;
import org.nnj.api.Shape;
import org.nnj.api.data.DataSplit;
import org.nnj.api.data.Dataset;
import org.nnj.core.EpochMetrics;
import org.nnj.core.Network;
import org.nnj.core.Registry;
import org.nnj.core.Trainer;

/**
 * {@code nnj bench}: trains a net for a few epochs and prints the training seconds per epoch, the median over the
 * epochs after the first (which includes the JIT's warm-up), as {@code seconds_per_epoch=S}; with {@code --epochs 1}
 * it is the one epoch's time, warm-up included, and a line {@code note=...} says so. The epoch time is the
 * {@link Trainer}'s, which excludes the accuracy evaluation after each epoch. For {@code wide-mlp} it also prints the
 * arithmetic rate of the matrix multiplies that run, {@code gflops=G}.
 */
final class BenchCommand implements Command {
    private static final Set<String> OPTIONS = Set.of("model", "data-dir", "dataset", "epochs", "train-limit", "dtype",
            "backend", "threads", "seed");
    /** The models, the default first. */
    static final List<String> MODELS = List.of("two-layer", "mlp", "cnn", "wide-mlp");
    /** wide-mlp's hidden sizes. */
    static final int[] WIDE_HIDDEN = {1024, 1024};
    /** wide-mlp's batch size. */
    static final int WIDE_BATCH = 256;
    /** wide-mlp's SGD learning rate. */
    static final double WIDE_LR = 0.01;
    /** The line after the figures when only one epoch ran: its time includes the JIT's warm-up. */
    static final String ONE_EPOCH_NOTE = "note=one epoch only: seconds_per_epoch is that epoch's time, which includes "
            + "the JIT warm-up; --epochs 2 or more gives the median of the epochs after the first";

    @Override
    public String name() {
        return "bench";
    }

    @Override
    public String summary() {
        return "time the training epochs of a net (seconds_per_epoch=, and gflops= for wide-mlp)";
    }

    @Override
    public String usage() {
        return "usage: ./nnj bench [--model two-layer|mlp|cnn|wide-mlp] [options]\n\n"
                + "Trains for a few epochs and prints each epoch's training time, then seconds_per_epoch=S, the\n"
                + "median over the epochs after the first (evaluation is not timed). With --epochs 1 it is that\n"
                + "epoch's time, JIT warm-up included (often several times the steady figure), and a line note=...\n"
                + "says so.\n"
                + "  two-layer  784-50-10 relu, SGD lr 0.1, batch 100 (as train's default)\n"
                + "  mlp        784-100-100-100-10 relu, Adam, batch 100 (as train --model mlp)\n"
                + "  cnn        SimpleConvNet, Adam, batch 100 (as train --model cnn)\n"
                + "  wide-mlp   784-1024-1024-10 relu, He init, SGD lr 0.01, batch 256; also prints gflops=G, the\n"
                + "             multiply-adds of the forward and backward matrix multiplies (2 operations each) per second\n\n"
                + "  --model NAME        default two-layer\n"
                + "  --data-dir DIR      a directory with the four IDX files, e.g. /usr/share/datasets/fashion-mnist;\n"
                + "                      default: the embedded MNIST sample\n"
                + "  --dataset NAME      mnist | fashion-mnist (default: from the --data-dir name, as train)\n"
                + "  --epochs N          default 3; 2 or more for a median that excludes the first (warm-up) epoch\n"
                + "  --train-limit N     train on the first N training images only (default: all)\n"
                + "  --dtype T           float32 | float64, default float32\n"
                + "  --backend NAME      backend provider (default: the highest-ranked, cpu)\n"
                + "  --threads N         threads of the backend (default: all processors)\n"
                + "  --seed N            default 0\n";
    }

    @Override
    public int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        Options o = Options.parse(name(), args, OPTIONS);
        String model = o.get("model", "two-layer").trim().toLowerCase(Locale.ROOT);
        if (!MODELS.contains(model)) {
            throw new UsageException("option --model: unknown model '" + o.get("model", "") + "'; known models: "
                    + String.join(", ", MODELS));
        }
        boolean wide = model.equals("wide-mlp");
        int epochs = o.getInt("epochs", 3, 1, 1_000_000);
        int trainLimit = o.getInt("train-limit", Integer.MAX_VALUE, 1, Integer.MAX_VALUE);
        int threads = o.getInt("threads", 0, 1, 4096);
        long seed = o.getLong("seed", 0);
        DType dtype;
        try {
            dtype = DType.parse(o.get("dtype", "float32"));
        } catch (IllegalArgumentException e) {
            throw new UsageException("option --dtype: expected float32 or float64, found '" + o.get("dtype", "") + "'");
        }
        Path dataDir = o.has("data-dir") ? Path.of(o.get("data-dir", "")) : null;
        if (dataDir != null && !Files.isDirectory(dataDir)) {
            throw new DataFormatException("--data-dir " + dataDir + ": expected a directory holding the four IDX "
                    + "files, found " + (Files.exists(dataDir) ? "a file" : "nothing"));
        }
        String datasetName = o.get("dataset", dataDir != null
                && dataDir.toAbsolutePath().normalize().toString().toLowerCase(Locale.ROOT).contains("fashion")
                ? "fashion-mnist" : "mnist");

        Registry registry = Registry.load(Main.class.getClassLoader());
        ModelSpec spec = null;
        OptimizerSpec optimizerSpec = null;
        Optimizer optimizer;
        int batch;
        if (wide) {
            optimizer = registry.optimizer("sgd", Settings.of("lr", WIDE_LR));
            batch = WIDE_BATCH;
        } else {
            // the same nets and optimizers as `train --model M` with its defaults
            spec = ModelSpec.parse(o, ModelSpec.Purpose.TRAIN);
            optimizerSpec = OptimizerSpec.parse(o, spec.model);
            optimizer = optimizerSpec.create(registry);
            batch = 100;
        }
        Settings dataSettings = Settings.of("flatten", !model.equals("cnn"));
        if (dataDir != null) {
            dataSettings = dataSettings.with("dir", dataDir.toString());
        }
        Dataset data = registry.dataset(datasetName, dataSettings);
        DataSplit train = LimitedSplit.of(data.train(), trainLimit);
        // evaluation is outside the timed part; a small test split keeps the untimed part short too
        DataSplit test = LimitedSplit.of(data.test(), Math.min(data.test().size(), 1000));
        if (train.size() < batch) {
            throw new UsageException("the training split (" + train.size() + " samples) is smaller than one batch of "
                    + batch);
        }
        Backend backend = Backends.open(registry, o.get("backend", null), threads);
        try {
            Shape input = train.sampleShape();
            Network net = wide
                    ? MultiLayerNet.build(registry, backend, dtype, input, WIDE_HIDDEN, "relu", "he", Double.NaN,
                            false, 0, train.numClasses(), seed)
                    : spec.build(registry, backend, dtype, input, train.numClasses(), seed);
            String description = wide
                    ? "wide-mlp " + MultiLayerNet.sizes(input, WIDE_HIDDEN, train.numClasses()) + " relu, sgd lr "
                            + WIDE_LR
                    : spec.describe(input, train.numClasses()) + ", " + optimizerSpec.describe(optimizer);
            out.printf(Locale.ROOT, "bench %s on %s: %d training images, %s, batch %d, %s, backend %s%s%n",
                    description, data.description(), train.size(), dtype, batch, Plural.of(epochs, "epoch"),
                    backend.name(),
                    threads > 0 ? ", " + threads + " threads" : "");
            Trainer trainer = Trainer.builder().epochs(epochs).batchSize(batch).seed(seed).build();
            List<EpochMetrics> history = trainer.fit(net, optimizer, train, test);
            double[] seconds = history.stream().mapToDouble(EpochMetrics::seconds).toArray();
            for (EpochMetrics m : history) {
                out.printf(Locale.ROOT, "epoch %d seconds %.4f loss %.4f%n", m.epoch(), m.seconds(), m.loss());
            }
            double perEpoch = medianAfterFirst(seconds);
            out.printf(Locale.ROOT, "seconds_per_epoch=%.4f%n", perEpoch);
            if (wide) {
                long steps = train.size() / batch;
                double flops = 2.0 * multiplyAdds(input.size(), WIDE_HIDDEN, train.numClasses(), batch) * steps;
                out.printf(Locale.ROOT, "gflops=%.1f%n", flops / perEpoch / 1e9);
            }
            if (seconds.length == 1) {
                out.println(ONE_EPOCH_NOTE);
            }
            return ExitCode.OK;
        } finally {
            Backends.close(backend);
        }
    }

    /** The median of {@code seconds[1..]}, or {@code seconds[0]} if there is only one epoch. */
    static double medianAfterFirst(double[] seconds) {
        double[] rest = seconds.length > 1 ? Arrays.copyOfRange(seconds, 1, seconds.length) : seconds.clone();
        Arrays.sort(rest);
        int n = rest.length;
        return n % 2 == 1 ? rest[n / 2] : (rest[n / 2 - 1] + rest[n / 2]) / 2;
    }

    /**
     * The multiply-adds of one training step of an affine stack {@code input - hidden... - classes}: the forward
     * {@code X·W} of every layer, {@code dW = Xᵀ·dY} of every layer, and {@code dX = dY·Wᵀ} of every layer but the
     * first (its input gradient is not needed).
     */
    static long multiplyAdds(int input, int[] hidden, int classes, int batch) {
        long total = 0;
        int in = input;
        for (int i = 0; i <= hidden.length; i++) {
            int outUnits = i < hidden.length ? hidden[i] : classes;
            long layer = (long) batch * in * outUnits;
            total += 2 * layer + (i > 0 ? layer : 0);
            in = outUnits;
        }
        return total;
    }
}
