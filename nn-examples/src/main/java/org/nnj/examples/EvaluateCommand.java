package org.nnj.examples;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import org.nnj.api.Backend;
import org.nnj.api.DType;
import org.nnj.api.DataFormatException;
import org.nnj.api.Settings;
import org.nnj.api.Shape;
import org.nnj.api.ShapeException;
import org.nnj.api.Tensor;
import org.nnj.api.data.DataSplit;
import org.nnj.api.data.Dataset;
import org.nnj.core.Network;
import org.nnj.core.Predictor;
import org.nnj.core.Registry;

/**
 * {@code nnj evaluate --model DIR [--data-dir DIR]}: the accuracy of a saved model on a test split, with per-class
 * precision and recall and the confusion matrix; the last line is {@code accuracy=A}.
 */
final class EvaluateCommand implements Command {
    private static final Set<String> OPTIONS = TrainCommand.union(ModelDir.OPTIONS,
            Set.of("data-dir", "dataset", "split", "batch-size"));

    @Override
    public String name() {
        return "evaluate";
    }

    @Override
    public String summary() {
        return "precision, recall, confusion matrix and accuracy of a saved model on a test split";
    }

    @Override
    public String usage() {
        return "usage: ./nnj evaluate --model DIR [--data-dir DIR] [options]\n\n"
                + "Classifies every image of the test split with the model saved in DIR (train --save DIR) and prints\n"
                + "per-class precision and recall, the confusion matrix (rows: true class, columns: predicted), and\n"
                + "last a line accuracy=A.\n\n"
                + "  --model DIR        a model or checkpoint directory (required)\n"
                + "  --data-dir DIR     a directory with the four IDX files (raw or .gz), e.g.\n"
                + "                     /usr/share/datasets/fashion-mnist; default: the embedded MNIST sample\n"
                + "  --dataset NAME     mnist | fashion-mnist | any dataset provider (default: mnist, or\n"
                + "                     fashion-mnist when the --data-dir name contains 'fashion')\n"
                + "  --split NAME       test (default) | train\n"
                + "  --batch-size N     images per forward pass, default 500\n"
                + "  --threads N        threads of the backend (default: the backend decides)\n"
                + "  --backend NAME     backend provider (default: the highest-ranked, e.g. cpu)\n";
    }

    @Override
    public int run(String[] args, PrintStream out, PrintStream err) {
        Options o = Options.parse(name(), args, OPTIONS);
        Path dir = ModelDir.path(o);
        String splitName = o.get("split", "test").trim().toLowerCase(Locale.ROOT);
        if (!splitName.equals("test") && !splitName.equals("train")) {
            throw new UsageException("option --split: expected test or train, found '" + o.get("split", "") + "'");
        }
        int batch = o.getInt("batch-size", 500, 1, 1_000_000);
        Path dataDir = dataDir(o);
        Registry registry = Registry.load(Main.class.getClassLoader());
        Backend backend = ModelDir.backend(registry, o);
        try {
            Network net = ModelDir.load(dir, registry, backend);
            Shape input = ModelDir.inputShape(net);
            Dataset data = dataset(registry, o, dataDir, input.rank() == 1);
            DataSplit split = splitName.equals("test") ? data.test() : data.train();
            if (split.size() == 0) {
                throw new DataFormatException(data.description() + ": the " + splitName + " split is empty");
            }
            if (split.sampleShape().size() != input.size()) {
                throw new ShapeException("--model " + dir + " takes inputs " + input + ", but the samples of "
                        + data.description() + " are " + split.sampleShape());
            }
            int classes = net.outputShape(input).size();
            if (classes != split.numClasses()) {
                throw new ShapeException("--model " + dir + " predicts " + classes + " classes, but "
                        + data.description() + " has " + split.numClasses());
            }
            out.printf(Locale.ROOT, "evaluate %s on %s, %s split: %d images, %d classes%n%n", dir,
                    data.description(), splitName, split.size(), classes);
            Evaluation e = evaluate(Predictor.of(net, registry), net.spec().orElseThrow().dtype(), input, split,
                    batch);
            out.print(e.report());
            return ExitCode.OK;
        } finally {
            Backends.close(backend);
        }
    }

    /** Classifies every sample of {@code split} in batches and counts the answers. */
    static Evaluation evaluate(Predictor predictor, DType dtype, Shape input, DataSplit split, int batch) {
        Backend backend = predictor.backend();
        int n = split.size();
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = i;
        }
        Evaluation e = new Evaluation(split.numClasses());
        int chunk = Math.min(batch, n);
        Tensor x = backend.zeros(dtype, input.withBatch(chunk));
        Tensor t = backend.zeros(dtype, Shape.of(chunk));
        for (int from = 0; from < n; from += chunk) {
            int count = Math.min(chunk, n - from);
            if (count != chunk) {
                x = backend.zeros(dtype, input.withBatch(count));
                t = backend.zeros(dtype, Shape.of(count));
            }
            split.gather(all, from, count, x, t);
            int[] predicted = predictor.classes(x);
            for (int r = 0; r < count; r++) {
                e.add(split.label(from + r), predicted[r]);
            }
        }
        return e;
    }

    private static Path dataDir(Options o) {
        if (!o.has("data-dir")) {
            return null;
        }
        Path dataDir = Path.of(o.get("data-dir", ""));
        if (dataDir.toString().isEmpty()) {
            throw new UsageException("option --data-dir: expected a directory, found an empty value");
        }
        if (!Files.isDirectory(dataDir)) {
            throw new DataFormatException("--data-dir " + dataDir + ": expected a directory holding the four IDX "
                    + "files, found " + (Files.exists(dataDir) ? "a file" : "nothing"));
        }
        return dataDir;
    }

    private static Dataset dataset(Registry registry, Options o, Path dataDir, boolean flatten) {
        String name = o.get("dataset", dataDir != null
                && dataDir.toAbsolutePath().normalize().toString().toLowerCase(Locale.ROOT).contains("fashion")
                ? "fashion-mnist" : "mnist");
        Settings settings = Settings.of("flatten", flatten);
        if (dataDir != null) {
            settings = settings.with("dir", dataDir.toString());
        }
        return registry.dataset(name, settings);
    }
}
