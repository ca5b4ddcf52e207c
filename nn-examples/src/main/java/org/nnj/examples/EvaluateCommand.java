package org.nnj.examples;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.nnj.api.Backend;
import org.nnj.api.DType;
import org.nnj.api.DataFormatException;
import org.nnj.api.NnjException;
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
 *
 * <p>Which data: without {@code --dataset} and {@code --data-dir}, the data set the model was trained on when its run
 * recorded it ({@link ModelDir#trainingData}), else the embedded MNIST sample; the first line says which and why. With
 * {@code --dataset} and/or {@code --data-dir}, the data asked for (and {@code --dataset} alone, naming the recorded
 * data set, reads it from the recorded directory); if that is not the recorded training data, a note on stderr says
 * so. A model whose input size or number of classes does not fit the data is refused, as is a model whose outputs
 * are not finite for some sample (NaN or infinite, e.g. the overflowing weights of a diverged run): its accuracy
 * would mean nothing.
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
                + "last a line accuracy=A.\n"
                + "Without --dataset and --data-dir it uses the data the model was trained on, as train --save\n"
                + "recorded it in DIR/checkpoint/checkpoint.json; if nothing is recorded, the embedded MNIST sample\n"
                + "(the first line says which). A model with non-finite outputs (e.g. the overflowing weights of a\n"
                + "diverged run) is refused.\n\n"
                + "  --model DIR        a model or checkpoint directory (required)\n"
                + "  --data-dir DIR     a directory with the four IDX files (raw or .gz), e.g.\n"
                + "                     /usr/share/datasets/fashion-mnist; default: the model's recorded training\n"
                + "                     data, else the embedded MNIST sample\n"
                + "  --dataset NAME     mnist | fashion-mnist | any dataset provider (default: the recorded one, else\n"
                + "                     mnist, or fashion-mnist when the --data-dir name contains 'fashion')\n"
                + "  --split NAME       test (default) | train\n"
                + "  --batch-size N     images per forward pass, default 500\n"
                + "  --threads N        threads of the backend (default: all processors)\n"
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
            Optional<ModelDir.TrainingData> recorded;
            try {
                recorded = ModelDir.trainingData(dir);
            } catch (DataFormatException e) {
                if (dataDir == null && !o.has("dataset")) {
                    throw e; // the record was needed to know the data
                }
                // the data is given: a damaged record only loses the note comparing it with the training data
                err.println("nnj evaluate: note: " + Main.oneLine(e) + "; the training data is taken as unknown");
                recorded = Optional.empty();
            }
            Choice choice = choose(o, dir, dataDir, recorded);
            Dataset data = choice.load(registry, dir, input.rank() == 1);
            DataSplit split = splitName.equals("test") ? data.test() : data.train();
            String part = "";
            if (!splitName.equals("test") && choice.isTrainingData() && choice.recorded().trainLimit() < split.size()) {
                // the images the model was trained on: the run's --train-limit first ones
                split = LimitedSplit.of(split, choice.recorded().trainLimit());
                part = ", the first " + split.size() + " as the run's --train-limit";
            }
            if (split.size() == 0) {
                throw new DataFormatException(data.description() + ": the " + splitName + " split is empty");
            }
            if (split.sampleShape().size() != input.size()) {
                throw new ShapeException("--model " + dir + " takes inputs " + input + ", but the samples of "
                        + choice.named(data) + " are " + split.sampleShape() + choice.mismatchHint());
            }
            int classes = net.outputShape(input).size();
            if (classes != split.numClasses()) {
                throw new ShapeException("--model " + dir + " predicts " + classes + " classes, but "
                        + choice.named(data) + " has " + split.numClasses() + choice.mismatchHint());
            }
            if (choice.note != null) {
                err.println("nnj evaluate: note: " + choice.note + "; evaluating on " + data.description()
                        + " as asked");
            }
            out.printf(Locale.ROOT, "evaluate %s on %s, %s split: %d images%s, %d classes%s%n%n", dir,
                    data.description(), splitName, split.size(), part, classes, choice.why);
            Evaluation e = evaluate(Predictor.of(net, registry), net.spec().orElseThrow().dtype(), input, split,
                    batch);
            if (e.notFinite() > 0) {
                throw new DataFormatException(String.format(Locale.ROOT, "--model %s: the model's outputs are not "
                        + "finite (NaN or infinite) for %d of the %d images of the %s split (the first is image %d), "
                        + "so its accuracy means nothing; %s", dir, e.notFinite(), split.size(), splitName,
                        e.firstNotFinite(), ModelDir.whyNotFinite(dir, net)));
            }
            out.print(e.report());
            return ExitCode.OK;
        } finally {
            Backends.close(backend);
        }
    }

    /**
     * The data to evaluate on and why: its provider name and directory (null: the provider's default), the suffix of
     * the first line, and a note if it is not the recorded training data.
     */
    private record Choice(String name, Path dir, ModelDir.TrainingData recorded, Origin origin, String why,
                          String note) {
        /** Where the choice comes from. */
        enum Origin {
            /** The model's recorded training data. */
            RECORDED,
            /** Nothing recorded, nothing asked: the embedded sample. */
            DEFAULT,
            /** --dataset or --data-dir. */
            ASKED
        }

        Dataset load(Registry registry, Path model, boolean flatten) {
            if (origin == Origin.RECORDED && dir != null && !Files.isDirectory(dir)) {
                throw new DataFormatException("--model " + model + " was trained on " + recorded.describe()
                        + ", as " + recorded.recordedIn() + " records, but " + dir + " is not a directory now; give "
                        + "the data's new place with --data-dir");
            }
            Settings settings = Settings.of("flatten", flatten);
            if (dir != null) {
                settings = settings.with("dir", dir.toString());
            }
            try {
                return registry.dataset(name, settings);
            } catch (NnjException e) {
                if (origin != Origin.RECORDED) {
                    throw e;
                }
                throw new DataFormatException("--model " + model + ": its recorded training data " + recorded.describe()
                        + " (in " + recorded.recordedIn() + ") cannot be loaded: " + Main.oneLine(e)
                        + "; choose the data with --dataset or --data-dir", e);
            }
        }

        /** True if this is the data the model was trained on, as its run recorded it. */
        boolean isTrainingData() {
            return recorded != null && (origin == Origin.RECORDED || origin == Origin.ASKED && note == null);
        }

        /** The data as the mismatch messages name it. */
        String named(Dataset data) {
            return origin == Origin.RECORDED
                    ? "its recorded training data " + data.description() + " (in " + recorded.recordedIn() + ")"
                    : data.description();
        }

        String mismatchHint() {
            return switch (origin) {
                case RECORDED -> ": the model and its run's record disagree; choose the data with --dataset or "
                        + "--data-dir";
                case DEFAULT -> "; the model's training data is unknown (not recorded): choose it with --dataset or "
                        + "--data-dir";
                case ASKED -> "";
            };
        }
    }

    private static Choice choose(Options o, Path model, Path dataDir, Optional<ModelDir.TrainingData> recorded) {
        ModelDir.TrainingData t = recorded.orElse(null);
        if (!o.has("dataset") && dataDir == null) {
            if (t != null) {
                return new Choice(t.dataset(), t.dataDir(), t, Choice.Origin.RECORDED, recordedWhy(t), null);
            }
            return new Choice("mnist", null, null, Choice.Origin.DEFAULT, "; training data unknown (" + model
                    + " records none), so the default; choose with --dataset or --data-dir", null);
        }
        String name = o.get("dataset", dataDir != null
                && dataDir.toAbsolutePath().normalize().toString().toLowerCase(Locale.ROOT).contains("fashion")
                ? "fashion-mnist" : "mnist");
        if (t == null) {
            return new Choice(name, dataDir, null, Choice.Origin.ASKED, "", null);
        }
        if (dataDir == null && name.equals(t.dataset())) {
            // --dataset alone, naming the recorded one: the very files it was trained on
            return new Choice(name, t.dataDir(), t, Choice.Origin.RECORDED, recordedWhy(t), null);
        }
        if (name.equals(t.dataset()) && sameDirectory(dataDir, t.dataDir())) {
            return new Choice(name, dataDir, t, Choice.Origin.ASKED, " (the data the model was trained on)", null);
        }
        return new Choice(name, dataDir, t, Choice.Origin.ASKED, "", "--model " + model + " was trained on "
                + t.describe() + ", as " + t.recordedIn() + " records");
    }

    private static String recordedWhy(ModelDir.TrainingData t) {
        return " (the data the model was trained on, as " + t.recordedIn() + " records)";
    }

    private static boolean sameDirectory(Path a, Path b) {
        if (a == null || b == null) {
            return a == b;
        }
        if (a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize())) {
            return true;
        }
        try {
            return Files.isSameFile(a, b);
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /**
     * Classifies every sample of {@code split} in batches and counts the answers; a sample whose scores are not all
     * finite is counted apart ({@link Evaluation#notFinite}).
     */
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
            Tensor scores = predictor.scores(x);
            int[] predicted = new int[count];
            backend.argmaxRows(scores, predicted);
            int classes = scores.size() / count;
            for (int r = 0; r < count; r++) {
                boolean finite = true;
                for (int c = 0; c < classes && finite; c++) {
                    finite = Double.isFinite(scores.get(r * classes + c));
                }
                if (finite) {
                    e.add(split.label(from + r), predicted[r]);
                } else {
                    e.addNotFinite(from + r);
                }
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
}
