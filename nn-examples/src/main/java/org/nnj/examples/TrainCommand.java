package org.nnj.examples;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
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

/** {@code nnj train}: the book's two-layer net trained by SGD on MNIST digits (the embedded sample by default). */
final class TrainCommand implements Command {
    private static final Set<String> OPTIONS = Set.of("data-dir", "dataset", "epochs", "batch-size", "lr", "hidden",
            "seed", "dtype", "threads", "metrics", "activation", "backend");

    @Override
    public String name() {
        return "train";
    }

    @Override
    public String summary() {
        return "train the two-layer net 784-50-10 by backpropagation (embedded MNIST sample by default)";
    }

    @Override
    public String usage() {
        return "usage: ./nnj train [options]\n\n"
                + "Trains affine(784->hidden), activation, affine(hidden->10), softmax-cross-entropy with SGD;\n"
                + "weights N(0, 0.01^2), zero biases. One line per epoch, then a summary.\n\n"
                + "  --data-dir DIR        a directory with the four IDX files (raw or .gz), e.g.\n"
                + "                        /usr/share/datasets/fashion-mnist; default: the embedded MNIST sample\n"
                + "  --dataset NAME        mnist | fashion-mnist | any dataset provider (default: mnist, or\n"
                + "                        fashion-mnist when the --data-dir name contains 'fashion')\n"
                + "  --epochs N            default 17\n"
                + "  --batch-size N        default 100\n"
                + "  --lr X                SGD learning rate, default 0.1\n"
                + "  --hidden N            hidden units, default 50\n"
                + "  --activation NAME     relu | sigmoid | swish | any layer provider (default relu)\n"
                + "  --seed N              seeds the weights and the shuffling, default 0 (as the peer scripts in shared/bench)\n"
                + "  --dtype T             float32 | float64, default float32\n"
                + "  --threads N           threads of the backend (default: the backend decides)\n"
                + "  --backend NAME        backend provider (default: the highest-ranked, e.g. cpu)\n"
                + "  --metrics FILE        write one JSON object per epoch (epoch, loss, train_acc, test_acc, seconds);\n"
                + "                        FILE is replaced only when the run succeeds\n";
    }

    @Override
    public int run(String[] args, PrintStream out, PrintStream err) throws IOException {
        Options o = Options.parse(name(), args, OPTIONS);
        int epochs = o.getInt("epochs", 17, 1, 1_000_000);
        int batch = o.getInt("batch-size", 100, 1, 1_000_000);
        double lr = o.getPositive("lr", 0.1);
        int hidden = o.getInt("hidden", 50, 1, 1_000_000);
        long seed = o.getLong("seed", 0);
        int threads = o.getInt("threads", 0, 1, 4096);
        String activation = o.get("activation", "relu");
        DType dtype = parseDType(o.get("dtype", "float32"));
        Path dataDir = o.has("data-dir") ? Path.of(o.get("data-dir", "")) : null;
        if (dataDir != null && !Files.isDirectory(dataDir)) {
            throw new DataFormatException("--data-dir " + dataDir + ": expected a directory holding the four IDX "
                    + "files, found " + (Files.exists(dataDir) ? "a file" : "nothing"));
        }
        String datasetName = o.get("dataset", dataDir != null
                && dataDir.toAbsolutePath().normalize().toString().toLowerCase(Locale.ROOT).contains("fashion")
                ? "fashion-mnist" : "mnist");

        Registry registry = Registry.load(Main.class.getClassLoader());
        registry.layers().get(activation); // fail fast, listing the known layers, before loading any data
        Settings dataSettings = Settings.of("flatten", true);
        if (dataDir != null) {
            dataSettings = dataSettings.with("dir", dataDir.toString());
        }
        Dataset data = registry.dataset(datasetName, dataSettings);
        DataSplit train = data.train();
        DataSplit test = data.test();
        if (train.size() < batch) {
            throw new UsageException("--batch-size " + batch + " is larger than the training split (" + train.size()
                    + " samples)");
        }
        Optimizer sgd = registry.optimizer("sgd", Settings.of("lr", lr));
        Backend backend = Backends.open(registry, o.get("backend", null), threads);
        try (MetricsFile metrics = o.has("metrics") ? new MetricsFile(Path.of(o.get("metrics", ""))) : null) {
            Network net = TwoLayerNet.build(registry, backend, dtype, train.sampleShape(), hidden, activation,
                    train.numClasses(), TwoLayerNet.BOOK_WEIGHT_STD, seed);
            out.printf(Locale.ROOT, "train %s on %s: %d training / %d test images; %s, sgd lr %s, batch %d, "
                            + "%d epochs, seed %d, backend %s%n",
                    TwoLayerNet.describe(train.sampleShape(), hidden, activation, train.numClasses()),
                    data.description(), train.size(), test.size(), dtype, lr, batch, epochs, seed, backend.name());
            Trainer trainer = Trainer.builder().epochs(epochs).batchSize(batch).seed(seed)
                    .listener(new TrainingListener() {
                        @Override
                        public void onEpoch(EpochMetrics m) {
                            out.printf(Locale.ROOT, "epoch %2d/%d  loss %.4f  train_acc %.4f  test_acc %.4f  %.2f s%n",
                                    m.epoch(), epochs, m.loss(), m.trainAcc(), m.testAcc(), m.seconds());
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
            List<EpochMetrics> history = trainer.fit(net, sgd, train, test);
            double total = (System.nanoTime() - start) / 1e9;
            double trainSeconds = history.stream().mapToDouble(EpochMetrics::seconds).sum();
            if (metrics != null) {
                metrics.commit();
            }
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
