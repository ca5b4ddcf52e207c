package org.nnj.examples;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.IntToDoubleFunction;
import org.nnj.api.Backend;
import org.nnj.api.DType;
import org.nnj.api.DataFormatException;
import org.nnj.api.Optimizer;
import org.nnj.api.Settings;
import org.nnj.api.data.DataSplit;
import org.nnj.api.data.Dataset;
import org.nnj.core.EpochMetrics;
import org.nnj.core.Network;
import org.nnj.core.Registry;
import org.nnj.core.Trainer;
import org.nnj.core.TrainingListener;

/**
 * {@code nnj train}: trains one of the book's nets on MNIST digits (the embedded sample by default): the two-layer net
 * by SGD (the default, unchanged), {@code MultiLayerNet(Extend)} ({@code --model mlp}) or {@code SimpleConvNet}
 * ({@code --model cnn}), with any optimizer and learning-rate schedule.
 */
final class TrainCommand implements Command {
    private static final Set<String> OPTIONS = union(Set.of("data-dir", "dataset", "epochs", "batch-size", "seed",
            "dtype", "threads", "metrics", "backend", "train-limit", RunOutput.PLOT), ModelSpec.OPTIONS,
            OptimizerSpec.OPTIONS);

    @Override
    public String name() {
        return "train";
    }

    @Override
    public String summary() {
        return "train the two-layer net, an mlp or the cnn by backpropagation (embedded MNIST sample by default)";
    }

    @Override
    public String usage() {
        return "usage: ./nnj train [--model two-layer|mlp|cnn] [options]\n\n"
                + "Trains one of the book's nets with softmax-cross-entropy; one line per epoch, then a summary.\n"
                + "  two-layer  affine(784->hidden), activation, affine(hidden->10); SGD lr 0.1, weights N(0, 0.01^2)\n"
                + "  mlp        MultiLayerNet(Extend): per hidden size affine, [batchnorm], activation, [dropout];\n"
                + "             then affine to 10; Adam\n"
                + "  cnn        SimpleConvNet: conv2d 30 filters 5x5, relu, maxpool 2, affine 100, relu, affine 10;\n"
                + "             Adam lr 0.001, He init\n\n"
                + "  --model NAME          two-layer (default) | mlp | cnn\n"
                + "  --data-dir DIR        a directory with the four IDX files (raw or .gz), e.g.\n"
                + "                        /usr/share/datasets/fashion-mnist; default: the embedded MNIST sample\n"
                + "  --dataset NAME        mnist | fashion-mnist | any dataset provider (default: mnist, or\n"
                + "                        fashion-mnist when the --data-dir name contains 'fashion')\n"
                + "  --train-limit N       train on the first N training images only (default: all)\n"
                + "  --epochs N            default 17\n"
                + "  --batch-size N        default 100\n"
                + "  --hidden N[,N...]     hidden sizes: two-layer one size (default 50); mlp a list (default\n"
                + "                        100,100,100); cnn the affine layer (default 100)\n"
                + "  --activation NAME     relu | sigmoid | tanh | leaky-relu | swish | any layer provider (default relu)\n"
                + "  --init NAME           mlp, cnn: normal | he | xavier | torch (PyTorch's default: uniform\n"
                + "                        +-1/sqrt(fan_in)); mlp default: xavier for sigmoid and tanh, he otherwise,\n"
                + "                        as the book; cnn default: he\n"
                + "  --weight-std X        the std of normal weights (two-layer default 0.01; implies --init normal)\n"
                + "  --batchnorm           mlp: batch normalisation after each hidden affine layer\n"
                + "  --dropout RATE        mlp: dropout after each hidden activation (default 0: none)\n"
                + "  --filters N           cnn: conv2d filters, default 30\n"
                + "  --optimizer NAME      sgd | momentum | nesterov | adagrad | rmsprop | adam | adamw | any optimizer\n"
                + "                        provider (default: sgd for two-layer, adam otherwise)\n"
                + "  --lr X                learning rate (default: 0.1 for sgd on two-layer, else the optimizer's own\n"
                + "                        default, e.g. adam 0.001, sgd 0.01)\n"
                + "  --weight-decay X      L2 weight decay (adamw: decoupled); weights only, not biases or batchnorm\n"
                + "  --schedule NAME       constant | step | cosine (default: constant)\n"
                + "  --step-size N         step: epochs between decays (required)\n"
                + "  --gamma X             step: the decay factor, default 0.1\n"
                + "  --min-lr X            cosine: the final rate, default 0 (t_max is the epoch count)\n"
                + "  --seed N              seeds the weights and the shuffling, default 0 (as the peer scripts in shared/bench)\n"
                + "  --dtype T             float32 | float64, default float32\n"
                + "  --threads N           threads of the backend (default: the backend decides)\n"
                + "  --backend NAME        backend provider (default: the highest-ranked, e.g. cpu)\n"
                + "  --metrics FILE        write one JSON object per epoch (epoch, loss, train_acc, test_acc, seconds);\n"
                + "                        FILE is replaced only when the run succeeds\n"
                + "  --plot FILE.png       draw the learning curves (loss; training and test accuracy per epoch) into\n"
                + "                        FILE.png when the run succeeds; checked for writing before training\n"
                + "  --quiet               print only the final summary line (and errors)\n"
                + "  --verbose             the epoch lines without a progress bar, plus nnj's debug log on stderr\n\n"
                + "On a terminal a progress bar shows each epoch's batches, loss, images/s and time left; when the\n"
                + "output is not a terminal, one line per epoch. NNJ_PROGRESS=1 (or 0) forces the bar on (or off).\n";
    }

    @SafeVarargs
    static Set<String> union(Set<String>... sets) {
        Set<String> all = new java.util.HashSet<>();
        for (Set<String> s : sets) {
            all.addAll(s);
        }
        return Set.copyOf(all);
    }

    @Override
    public int run(String[] args, PrintStream out, PrintStream err) throws IOException {
        Options o = Options.parse(name(), args, OPTIONS, union(ModelSpec.FLAGS, RunOutput.FLAGS));
        RunOutput ui = RunOutput.of(o, out); // --quiet, --plot (its file checked now, before any training)
        ModelSpec model = ModelSpec.parse(o, ModelSpec.Purpose.TRAIN);
        OptimizerSpec optimizerSpec = OptimizerSpec.parse(o, model.model);
        int epochs = o.getInt("epochs", 17, 1, 1_000_000);
        int batch = o.getInt("batch-size", 100, 1, 1_000_000);
        long seed = o.getLong("seed", 0);
        int threads = o.getInt("threads", 0, 1, 4096);
        int trainLimit = o.getInt("train-limit", Integer.MAX_VALUE, 1, Integer.MAX_VALUE);
        DType dtype = parseDType(o.get("dtype", "float32"));
        Path dataDir = o.has("data-dir") ? Path.of(o.get("data-dir", "")) : null;
        if (dataDir != null && dataDir.toString().isEmpty()) {
            throw new UsageException("option --data-dir: expected a directory, found an empty value");
        }
        if (dataDir != null && !Files.isDirectory(dataDir)) {
            throw new DataFormatException("--data-dir " + dataDir + ": expected a directory holding the four IDX "
                    + "files, found " + (Files.exists(dataDir) ? "a file" : "nothing"));
        }
        String datasetName = o.get("dataset", dataDir != null
                && dataDir.toAbsolutePath().normalize().toString().toLowerCase(Locale.ROOT).contains("fashion")
                ? "fashion-mnist" : "mnist");

        Registry registry = Registry.load(Main.class.getClassLoader());
        // fail fast, listing the known names, before loading any data
        registry.layers().get(model.activation);
        Optimizer optimizer = optimizerSpec.create(registry);
        IntToDoubleFunction schedule = optimizerSpec.schedule(optimizer, epochs);
        Settings dataSettings = Settings.of("flatten", !model.needsImages());
        if (dataDir != null) {
            dataSettings = dataSettings.with("dir", dataDir.toString());
        }
        Dataset data = registry.dataset(datasetName, dataSettings);
        DataSplit train = LimitedSplit.of(data.train(), trainLimit);
        DataSplit test = data.test();
        if (test.size() == 0) {
            throw new DataFormatException(data.description() + ": the test split is empty; expected at least one "
                    + "image to measure accuracy on");
        }
        if (train.size() < batch) {
            throw new UsageException("--batch-size " + batch + " is larger than the training split (" + train.size()
                    + " samples)");
        }
        Backend backend = Backends.open(registry, o.get("backend", null), threads);
        try (MetricsFile metrics = o.has("metrics") ? new MetricsFile(Path.of(o.get("metrics", ""))) : null) {
            Network net = model.build(registry, backend, dtype, train.sampleShape(), train.numClasses(), seed);
            ui.info().printf(Locale.ROOT, "train %s on %s: %d training / %d test images; %s, %s, batch %d, "
                            + "%d epochs, seed %d, backend %s%n",
                    model.describe(train.sampleShape(), train.numClasses()), data.description(), train.size(),
                    test.size(), dtype, optimizerSpec.describe(optimizer), batch, epochs, seed, backend.name());
            Trainer.Builder builder = Trainer.builder().epochs(epochs).batchSize(batch).seed(seed);
            if (schedule != null) {
                builder.learningRateSchedule(schedule);
            }
            Trainer trainer = builder
                    .listener(ui.progress(batch)) // first: it blanks its line before the epoch line is printed
                    .listener(new TrainingListener() {
                        @Override
                        public void onEpoch(EpochMetrics m) {
                            ui.info().printf(Locale.ROOT, "epoch %2d/%d  loss %.4f  train_acc %.4f  test_acc %.4f  %.2f s%s%n",
                                    m.epoch(), epochs, m.loss(), m.trainAcc(), m.testAcc(), m.seconds(),
                                    schedule == null ? "" : String.format(Locale.ROOT, "  lr %.6g",
                                            optimizer.learningRate()));
                            if (metrics != null) {
                                try {
                                    metrics.append(m);
                                } catch (IOException e) {
                                    throw new UncheckedIOException("--metrics: cannot write: " + e.getMessage(), e);
                                }
                            }
                        }
                    })
                    .build();
            long start = System.nanoTime();
            List<EpochMetrics> history = ui.during(() -> trainer.fit(net, optimizer, train, test));
            double total = (System.nanoTime() - start) / 1e9;
            double trainSeconds = history.stream().mapToDouble(EpochMetrics::seconds).sum();
            if (metrics != null) {
                metrics.commit();
            }
            ui.plot(history, "nnj train: " + model.describe(train.sampleShape(), train.numClasses()) + " on "
                    + data.description());
            EpochMetrics last = history.get(history.size() - 1);
            out.printf(Locale.ROOT, "final test_acc %.4f (train_acc %.4f) after %d epochs in %.1f s total "
                            + "(%.2f s per epoch of training)%n",
                    last.testAcc(), last.trainAcc(), epochs, total, trainSeconds / epochs);
            return ExitCode.OK;
        } finally {
            Backends.close(backend);
        }
    }

    private static DType parseDType(String text) {
        try {
            return DType.parse(text);
        } catch (IllegalArgumentException e) {
            throw new UsageException("option --dtype: expected float32 or float64, found '" + text + "'");
        }
    }
}
