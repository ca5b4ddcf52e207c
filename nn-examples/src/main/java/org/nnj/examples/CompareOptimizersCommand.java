package org.nnj.examples;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import org.nnj.api.Backend;
import org.nnj.api.DType;
import org.nnj.api.DataFormatException;
import org.nnj.api.Optimizer;
import org.nnj.api.Settings;
import org.nnj.api.Shape;
import org.nnj.api.Tensor;
import org.nnj.api.data.DataSplit;
import org.nnj.api.data.Dataset;
import org.nnj.core.Network;
import org.nnj.core.Registry;

/**
 * {@code nnj compare-optimizers}: the book's chapter-6 experiment ({@code optimizer_compare_mnist.py}). One MLP per
 * optimizer, all built from the same seed (so with the same initial weights), each trained for the same number of
 * iterations on the same mini-batches: every iteration draws {@code batch} training images at random with replacement,
 * as the book's {@code np.random.choice} does, and each net takes one step on them. The loss of every iteration (on
 * that batch, before the step) goes to a CSV with one column per optimizer; a table of final losses (the mean of the
 * last 100 iterations) follows.
 *
 * <p>The book's setup: 784-100-100-100-100-10 ReLU nets with He initialisation, batch 128, 2000 iterations, each
 * optimizer with its default hyper-parameters (SGD 0.01, Momentum 0.01/0.9, AdaGrad 0.01, Adam 0.001). A net whose
 * loss stops being finite is left alone from then on and its column holds {@code NaN}.
 */
final class CompareOptimizersCommand implements Command {
    static final List<String> DEFAULT_OPTIMIZERS =
            List.of("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw");
    /** The book's window for the final loss is the curve's end; this is the mean of the last this many iterations. */
    static final int FINAL_WINDOW = 100;
    private static final Set<String> OPTIONS = Set.of("optimizers", "iterations", "batch-size", "hidden",
            "activation", "init", "seed", "data-dir", "dataset", "out", "threads", "backend", RunOutput.PLOT);

    @Override
    public String name() {
        return "compare-optimizers";
    }

    @Override
    public String summary() {
        return "the book's chapter-6 experiment: one MLP per optimizer on the same batches; loss per iteration (CSV)";
    }

    @Override
    public String usage() {
        return "usage: ./nnj compare-optimizers [options]\n\n"
                + "Trains the same MLP (same initial weights) with each optimizer on the same random batches, as the\n"
                + "book's optimizer_compare_mnist.py; writes the loss of every iteration as CSV (one column per\n"
                + "optimizer) and prints the mean loss of the last 100 iterations. Each optimizer uses its default\n"
                + "hyper-parameters (./nnj list shows them).\n\n"
                + "  --optimizers A,B,...  default " + String.join(",", DEFAULT_OPTIMIZERS) + "\n"
                + "  --iterations N        default 2000\n"
                + "  --batch-size N        default 128\n"
                + "  --hidden N,N,...      default 100,100,100,100\n"
                + "  --activation NAME     default relu\n"
                + "  --init NAME           normal | he | xavier | torch (default: he, xavier for sigmoid and tanh)\n"
                + "  --seed N              the initial weights and the batches, default 0\n"
                + "  --data-dir DIR        four IDX files (default: the embedded MNIST sample)\n"
                + "  --dataset NAME        mnist | fashion-mnist | any dataset provider\n"
                + "  --out FILE            the CSV, default optimizers.csv; replaced only when the run succeeds (an\n"
                + "                        existing file is overwritten, but not inside a saved model's directory)\n"
                + "  --threads N           threads of the backend (default: all processors)\n"
                + "  --backend NAME        backend provider (default: the highest-ranked, e.g. cpu)\n"
                + "  --plot FILE.png       draw each optimizer's loss per iteration (a moving mean of 21 iterations)\n"
                + "                        into FILE.png when the run succeeds; checked for writing before training\n"
                + "  --quiet               print only the table of final losses (and errors)\n";
    }

    @Override
    public int run(String[] args, PrintStream out, PrintStream err) throws IOException {
        Options o = Options.parse(name(), args, OPTIONS, RunOutput.FLAGS);
        RunOutput ui = RunOutput.of(o, out); // --quiet, --plot (its file checked now, before any training)
        PrintStream info = ui.info();
        List<String> names = names(o.get("optimizers", String.join(",", DEFAULT_OPTIMIZERS)));
        int iterations = o.getInt("iterations", 2000, 1, 100_000_000);
        int batch = o.getInt("batch-size", 128, 1, 1_000_000);
        int[] hidden = o.getIntList("hidden", new int[] {100, 100, 100, 100}, 1, 1_000_000);
        String activation = o.get("activation", "relu").trim();
        String init = o.get("init", ModelSpec.defaultInit(activation)).trim().toLowerCase(Locale.ROOT);
        if (!ModelSpec.INITS.contains(init)) {
            throw new UsageException("option --init: unknown initialisation '" + o.get("init", "") + "'; known: "
                    + String.join(", ", ModelSpec.INITS));
        }
        long seed = o.getLong("seed", 0);
        int threads = o.getInt("threads", 0, 1, 4096);
        Path csv = Path.of(o.get("out", "optimizers.csv"));
        Path dir = csv.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new UsageException("option --out " + csv + ": expected an existing directory " + dir + ", found none");
        }
        RunDir.checkOutput(csv, "--out", null, null);
        AtomicFile.checkWritable(csv, "--out"); // before any training, like --plot
        if (ui.plot() != null) {
            RunDir.checkOutput(ui.plot(), "--" + RunOutput.PLOT, null, null);
            if (RunDir.same(csv, ui.plot())) {
                throw new UsageException("options --out and --plot name the same file " + csv + "; give each its own");
            }
        }
        Path dataDir = o.has("data-dir") ? Path.of(o.get("data-dir", "")) : null;
        RunDir.checkOutsideData(csv, "--out", dataDir);
        if (ui.plot() != null) {
            RunDir.checkOutsideData(ui.plot(), "--" + RunOutput.PLOT, dataDir);
        }
        if (dataDir != null && !Files.isDirectory(dataDir)) {
            throw new DataFormatException("--data-dir " + dataDir + ": expected a directory holding the four IDX "
                    + "files, found " + (Files.exists(dataDir) ? "a file" : "nothing"));
        }
        String datasetName = o.get("dataset", dataDir != null
                && dataDir.toAbsolutePath().normalize().toString().toLowerCase(Locale.ROOT).contains("fashion")
                ? "fashion-mnist" : "mnist");

        Registry registry = Registry.load(Main.class.getClassLoader());
        registry.layers().get(activation);
        List<Optimizer> optimizers = new ArrayList<>();
        for (String n : names) {
            optimizers.add(registry.optimizer(n, Settings.empty()));
        }
        Settings dataSettings = Settings.of("flatten", true);
        if (dataDir != null) {
            dataSettings = dataSettings.with("dir", dataDir.toString());
        }
        Dataset data = registry.dataset(datasetName, dataSettings);
        DataSplit train = data.train();
        Backend backend = Backends.open(registry, o.get("backend", null), threads);
        try {
            List<Network> nets = new ArrayList<>();
            for (int k = 0; k < names.size(); k++) {
                // the same seed for every net: the same initial weights
                boolean torch = init.equals(TorchInit.NAME);
                Network net = MultiLayerNet.build(registry, backend, DType.FLOAT32, train.sampleShape(), hidden,
                        activation, torch ? "he" : init, Double.NaN, false, 0, train.numClasses(), seed);
                if (torch) {
                    TorchInit.apply(net, new Random(seed));
                }
                nets.add(net);
            }
            StringBuilder head = new StringBuilder();
            for (int k = 0; k < names.size(); k++) {
                head.append(k == 0 ? "" : ", ").append(names.get(k)).append(" lr ")
                        .append(optimizers.get(k).learningRate());
            }
            info.printf(Locale.ROOT, "compare-optimizers: mlp %s %s, %s init, on %s (%s); %s of %s "
                            + "(with replacement), seed %d; %s%n",
                    MultiLayerNet.sizes(train.sampleShape(), hidden, train.numClasses()), activation, init,
                    data.description(), Plural.of(train.size(), "training image"), Plural.of(iterations, "iteration"),
                    Plural.of(batch, "random image"), seed, head);

            double[][] losses = new double[names.size()][iterations];
            long[] nanos = new long[names.size()];
            int[] divergedAt = new int[names.size()];
            Tensor x = backend.zeros(DType.FLOAT32, train.sampleShape().withBatch(batch));
            Tensor t = backend.zeros(DType.FLOAT32, Shape.of(batch));
            int[] indices = new int[batch];
            Random random = new Random(seed);
            for (int i = 0; i < iterations; i++) {
                for (int j = 0; j < batch; j++) {
                    indices[j] = random.nextInt(train.size());
                }
                train.gather(indices, 0, batch, x, t);
                for (int k = 0; k < nets.size(); k++) {
                    if (divergedAt[k] > 0) {
                        losses[k][i] = Double.NaN;
                        continue;
                    }
                    long start = System.nanoTime();
                    double loss = nets.get(k).gradient(x, t);
                    if (Double.isFinite(loss)) {
                        optimizers.get(k).step(nets.get(k).parameters());
                    } else {
                        divergedAt[k] = i + 1;
                    }
                    nanos[k] += System.nanoTime() - start;
                    losses[k][i] = loss;
                }
                if ((i + 1) % 500 == 0 || i + 1 == iterations) {
                    StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "iteration %d:", i + 1));
                    for (int k = 0; k < names.size(); k++) {
                        b.append(String.format(Locale.ROOT, " %s %.4f", names.get(k), losses[k][i]));
                    }
                    info.println(b);
                }
            }
            AtomicFile.write(csv, csv(names, losses), "--out");
            if (ui.plot() != null) {
                Plots.writePng(Plots.optimizerLosses(names, losses, String.format(Locale.ROOT,
                                "nnj compare-optimizers: mlp %s %s on %s, batch %d", MultiLayerNet.sizes(
                                        train.sampleShape(), hidden, train.numClasses()), activation,
                                data.description(), batch)),
                        ui.plot(), Plots.WIDTH, Plots.HEIGHT, "--" + RunOutput.PLOT);
            }

            int window = Math.min(FINAL_WINDOW, iterations);
            out.printf(Locale.ROOT, "%-10s %12s %12s %22s %10s%n", "optimizer", "lr", "first loss",
                    "mean of last " + window, "seconds");
            for (int k = 0; k < names.size(); k++) {
                double sum = 0;
                for (int i = iterations - window; i < iterations; i++) {
                    sum += losses[k][i];
                }
                out.printf(Locale.ROOT, "%-10s %12s %12.4f %22s %10.1f%n", names.get(k),
                        optimizers.get(k).learningRate(), losses[k][0],
                        divergedAt[k] > 0 ? "diverged at " + divergedAt[k] : String.format(Locale.ROOT, "%.4f",
                                sum / window), nanos[k] / 1e9);
            }
            info.printf(Locale.ROOT, "loss per iteration written to %s%s%n", csv,
                    ui.plot() == null ? "" : ", its curves drawn in " + ui.plot());
            return ExitCode.OK;
        } finally {
            Backends.close(backend);
        }
    }

    /** The distinct optimizer names of a comma-separated list. */
    private static List<String> names(String text) {
        Set<String> names = new LinkedHashSet<>();
        for (String part : text.split(",", -1)) {
            String n = part.trim().toLowerCase(Locale.ROOT);
            if (n.isEmpty()) {
                throw new UsageException("option --optimizers: expected names separated by commas, found '" + text
                        + "'");
            }
            if (!names.add(n)) {
                throw new UsageException("option --optimizers: '" + n + "' is given twice");
            }
        }
        return List.copyOf(names);
    }

    /** {@code iteration,sgd,adam} then one row per iteration, counted from 1. */
    static String csv(List<String> names, double[][] losses) {
        StringBuilder b = new StringBuilder("iteration");
        for (String n : names) {
            b.append(',').append(n);
        }
        b.append('\n');
        int rows = losses.length == 0 ? 0 : losses[0].length;
        for (int i = 0; i < rows; i++) {
            b.append(i + 1);
            for (double[] column : losses) {
                b.append(',').append(Double.isFinite(column[i])
                        ? String.format(Locale.ROOT, "%.6g", column[i]) : "NaN");
            }
            b.append('\n');
        }
        return b.toString();
    }
}
