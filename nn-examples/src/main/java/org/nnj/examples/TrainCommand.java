package org.nnj.examples;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.IntToDoubleFunction;
import org.nnj.api.Backend;
import org.nnj.api.DType;
import org.nnj.api.DataFormatException;
import org.nnj.api.NnjException;
import org.nnj.api.Optimizer;
import org.nnj.api.Settings;
import org.nnj.api.TrainingDivergedException;
import org.nnj.api.data.DataSplit;
import org.nnj.api.data.Dataset;
import org.nnj.core.EarlyStopping;
import org.nnj.core.EpochMetrics;
import org.nnj.core.Network;
import org.nnj.core.Registry;
import org.nnj.core.Trainer;
import org.nnj.core.TrainingListener;
import org.nnj.core.io.Checkpoint;
import org.nnj.core.io.ModelStore;
import org.nnj.core.io.NetworkSpec;
import org.nnj.data.mnist.download.MnistDownloader;

/**
 * {@code nnj train}: trains one of the book's nets on MNIST digits (the embedded sample by default): the two-layer net
 * by SGD (the default, unchanged), {@code MultiLayerNet(Extend)} ({@code --model mlp}) or {@code SimpleConvNet}
 * ({@code --model cnn}), with any optimizer and learning-rate schedule; or a network from a spec file
 * ({@code --spec FILE.json}, see {@link SpecFile}). {@code --save DIR} keeps a checkpoint after every epoch and the
 * final model (see {@link RunDir}), {@code --resume DIR} continues such a run bit for bit, {@code --early-stop}
 * stops when the monitored metric stops improving and keeps the best weights.
 */
final class TrainCommand implements Command {
    static final String SAVE = "save";
    static final String RESUME = "resume";
    static final String SPEC = "spec";
    static final String EARLY_STOP = "early-stop";
    static final String MONITOR = "monitor";
    static final String MIN_DELTA = "min-delta";
    /** Run settings recorded in checkpoints ({@link Checkpoint#run()}). */
    static final String RUN_DATASET = "dataset";
    /** The flag that lets the dataset provider fetch its official files (into --data-dir, or ~/.nnj/datasets). */
    static final String DOWNLOAD = "download";
    static final String RUN_DATA_DIR = "data_dir";
    static final String RUN_TRAIN_LIMIT = "train_limit";
    static final String RUN_MODEL = "model";
    /** The training and test splits' sizes and the SHA-256 of their samples and labels (see {@link DataFingerprint}). */
    static final String RUN_DATA_FINGERPRINT = "data_fingerprint";

    private static final Set<String> OPTIONS = union(Set.of("data-dir", "dataset", "epochs", "batch-size", "seed",
            "dtype", "threads", "metrics", "backend", "train-limit", RunOutput.PLOT, SAVE, RESUME, SPEC, EARLY_STOP,
            MONITOR, MIN_DELTA), ModelSpec.OPTIONS, OptimizerSpec.OPTIONS);
    /** What a resumed run takes from its checkpoint: giving it again is a usage error. */
    private static final Set<String> FIXED_BY_CHECKPOINT = union(ModelSpec.OPTIONS, ModelSpec.FLAGS,
            Set.of("optimizer", "weight-decay", "schedule", "step-size", "gamma", "min-lr", "dataset", "train-limit",
                    "batch-size", "seed", "dtype", SPEC, EARLY_STOP, MONITOR, MIN_DELTA, DOWNLOAD));

    @Override
    public String name() {
        return "train";
    }

    @Override
    public String summary() {
        return "train the two-layer net, an mlp, the cnn or a spec file's network; save, resume, stop early";
    }

    @Override
    public String usage() {
        return "usage: ./nnj train [--model two-layer|mlp|cnn | --spec FILE.json] [options]\n"
                + "       ./nnj train --resume DIR [--epochs N] [--lr X] [--save DIR2] [--metrics FILE] ...\n\n"
                + "Trains one of the book's nets with softmax-cross-entropy; one line per epoch, then a summary.\n"
                + "  two-layer  affine(784->hidden), activation, affine(hidden->10); SGD lr 0.1, weights N(0, 0.01^2)\n"
                + "  mlp        MultiLayerNet(Extend): per hidden size affine, [batchnorm], activation, [dropout];\n"
                + "             then affine to 10; Adam\n"
                + "  cnn        SimpleConvNet: conv2d 30 filters 5x5, relu, maxpool 2, affine 100, relu, affine 10;\n"
                + "             Adam lr 0.001, He init\n\n"
                + "  --model NAME          two-layer (default) | mlp | cnn\n"
                + "  --spec FILE.json      the network from a spec file instead: layers by provider name with their\n"
                + "                        settings, the loss, optionally the optimizer and training settings (epochs,\n"
                + "                        batch_size, seed, schedule); see specs/. Checked before training. The\n"
                + "                        options below override the file's values; model options do not apply\n"
                + "  --data-dir DIR        a directory with the four IDX files (raw or .gz), e.g.\n"
                + "                        /usr/share/datasets/fashion-mnist; default: the embedded MNIST sample\n"
                + "  --dataset NAME        mnist | fashion-mnist | any dataset provider (default: mnist, or\n"
                + "                        fashion-mnist when the --data-dir name contains 'fashion')\n"
                + "  --download            let mnist / fashion-mnist fetch their official files (SHA-256 checked)\n"
                + "                        into --data-dir, or ~/.nnj/datasets/NAME; files already there and intact\n"
                + "                        are kept. Without it nothing is downloaded\n"
                + "  --train-limit N       train on the first N training images only (default: all)\n"
                + "  --epochs N            default 17 (with --resume: the total to reach, default the saved run's)\n"
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
                + "  --early-stop N        stop when the monitored metric has not improved for N epochs (patience) and\n"
                + "                        keep the best epoch's weights: restored at the end, and saved by --save\n"
                + "  --monitor METRIC      with --early-stop: test_acc (default) | train_acc | loss\n"
                + "  --min-delta X         with --early-stop: the smallest change that counts as better, default 0\n"
                + "  --save DIR            save a checkpoint into DIR/checkpoint after every epoch (crash-safe: a crash\n"
                + "                        leaves the previous one loadable) and the final model into DIR when the run\n"
                + "                        ends; if training diverges, the last finite weights into DIR/last-finite.\n"
                + "                        DIR must not hold a saved run already. While a run saves into DIR (or\n"
                + "                        resumes it), DIR is locked: another run that wants it is refused\n"
                + "  --resume DIR          continue the run saved in DIR, with its model, optimizer state, schedule,\n"
                + "                        seed, batch size, data and early stopping, saving into DIR (or --save);\n"
                + "                        the result is bit-identical to an uninterrupted run. Only --epochs (to train\n"
                + "                        longer), --lr, --data-dir (moved data), --save, --metrics, --plot, --quiet,\n"
                + "                        --threads and --backend may be given\n"
                + "  --threads N           threads of the backend (default: all processors)\n"
                + "  --backend NAME        backend provider (default: the highest-ranked, e.g. cpu)\n"
                + "  --metrics FILE        write one JSON object per epoch (epoch, loss, train_acc, test_acc, seconds);\n"
                + "                        FILE is replaced only when the run succeeds (a resumed run writes all epochs);\n"
                + "                        an existing file is overwritten, but not inside a saved model or run directory\n"
                + "  --plot FILE.png       draw the learning curves (loss; training and test accuracy per epoch) into\n"
                + "                        FILE.png when the run succeeds; checked for writing before training\n"
                + "  --quiet               print only the final summary line (and errors)\n"
                + "  --verbose             the epoch lines without a progress bar, plus nnj's debug log on stderr\n\n"
                + "On a terminal a progress bar shows each epoch's batches, loss, images/s and time left; when the\n"
                + "output is not a terminal, one line per epoch. NNJ_PROGRESS=1 (or 0) forces the bar on (or off).\n"
                + "A non-finite loss, gradient or weight stops training at once with exit code 1, naming the step and\n"
                + "the parameter.\n";
    }

    @SafeVarargs
    static Set<String> union(Set<String>... sets) {
        Set<String> all = new java.util.HashSet<>();
        for (Set<String> s : sets) {
            all.addAll(s);
        }
        return Set.copyOf(all);
    }

    /** The training data of a run. */
    private record Data(String name, Path dir, int limit, DataSplit train, DataSplit test, String description) {
    }

    /** What a run trains and how, however it was described: model options, a spec file or a checkpoint. */
    private static final class Setup {
        ModelSpec model;
        Network net;
        Optimizer optimizer;
        OptimizerSpec optimizerSpec;
        IntToDoubleFunction schedule;
        String modelText;
        int epochs;
        int batch;
        long seed;
        DType dtype;
        Data data;
        int completed;
        List<EpochMetrics> past = List.of();
        EarlyStopping stopping;
        Path resumedFrom;
        /** {@link #fingerprint} of {@link #data}, once computed. */
        String dataFingerprint;

        /** What --save records: the architecture, the optimizer, the training settings. */
        NetworkSpec savedSpec() {
            NetworkSpec arch = net.spec().orElseThrow(() -> new IllegalStateException("the network has no spec"));
            return arch.withOptimizer(optimizerSpec.component()).withTraining(
                    new NetworkSpec.Training(epochs, batch, seed, optimizerSpec.scheduleComponent()));
        }

        /** The run's data and model, as checkpoints record them. */
        Map<String, String> runSettings() {
            Map<String, String> run = new LinkedHashMap<>();
            run.put(RUN_DATASET, data.name());
            if (data.dir() != null) {
                run.put(RUN_DATA_DIR, data.dir().toAbsolutePath().normalize().toString());
            }
            if (data.limit() != Integer.MAX_VALUE) {
                run.put(RUN_TRAIN_LIMIT, Integer.toString(data.limit()));
            }
            run.put(RUN_MODEL, modelText);
            if (dataFingerprint == null) {
                dataFingerprint = fingerprint(data);
            }
            run.put(RUN_DATA_FINGERPRINT, dataFingerprint);
            return run;
        }
    }

    @Override
    @SuppressWarnings("try") // the lock is held by the try, not used in it
    public int run(String[] args, PrintStream out, PrintStream err) throws IOException {
        Options o = Options.parse(name(), args, OPTIONS, union(ModelSpec.FLAGS, RunOutput.FLAGS, Set.of(DOWNLOAD)));
        Path resumeDir = o.has(RESUME) ? directory(o, RESUME) : null;
        if (resumeDir != null) {
            for (String f : FIXED_BY_CHECKPOINT) {
                if (o.has(f)) {
                    throw new UsageException("option --" + f + " cannot be given with --resume: the run continues "
                            + "with the settings saved in " + RunDir.checkpoint(resumeDir));
                }
            }
        }
        if (o.has(SPEC)) {
            for (String f : union(ModelSpec.OPTIONS, ModelSpec.FLAGS)) {
                if (o.has(f)) {
                    throw new UsageException("option --" + f + " does not apply to --spec: the spec file describes "
                            + "the network");
                }
            }
        }
        if (!o.has(EARLY_STOP) && (o.has(MONITOR) || o.has(MIN_DELTA))) {
            throw new UsageException("options --monitor and --min-delta need --early-stop PATIENCE");
        }
        EarlyStopping stopping = o.has(EARLY_STOP) ? earlyStopping(o) : null;
        RunOutput ui = RunOutput.of(o, out); // --quiet, --plot (its file checked now, before any training)
        Path saveDir = o.has(SAVE) ? directory(o, SAVE) : resumeDir;
        checkOutputs(o, ui.plot(), saveDir, resumeDir);
        if (resumeDir != null) {
            RunDir.checkpointToResume(resumeDir); // nothing to resume: said before anything is created or locked
        }
        int threads = o.getInt("threads", 0, 1, 4096);
        // a resumed run saved elsewhere: its directory is locked while its checkpoint is read, so that no other run
        // saves one meanwhile; locked first, so that a refusal creates nothing
        boolean elsewhere = resumeDir != null && !RunDir.same(saveDir, resumeDir);
        // the directories this run creates for --save: removed again if it fails before saving anything there
        Path created = saveDir == null || resumeDir != null && !elsewhere ? null : RunDir.firstMissing(saveDir);
        // saveDir is this run's until it ends: another run saving into it (or resuming it) is refused meanwhile
        try (RunLock source = elsewhere ? RunLock.acquireForReading(resumeDir) : null;
             RunLock lock = saveDir == null ? null : RunDir.claim(saveDir, resumeDir)) {
            try {
                return run(o, ui, out, resumeDir, source, saveDir, created, threads, stopping);
            } catch (Throwable e) { // out of memory too
                if (created != null) {
                    RunDir.removeIfUnused(saveDir, created); // while still locked: no other run is in it
                }
                throw e;
            }
        }
    }

    /**
     * The run, once its outputs are checked and its directories are claimed.
     *
     * @param source the lock on the resumed directory if it is not {@code saveDir}, released once it is read
     */
    private int run(Options o, RunOutput ui, PrintStream out, Path resumeDir, RunLock source, Path saveDir,
                    Path created, int threads, EarlyStopping stopping) throws IOException {
        Registry registry = Registry.load(Main.class.getClassLoader());
        Backend backend = null;
        try {
            Setup s;
            if (resumeDir != null) {
                backend = Backends.open(registry, o.get("backend", null), threads);
                s = resume(o, registry, backend, resumeDir, source);
            } else if (o.has(SPEC)) {
                backend = Backends.open(registry, o.get("backend", null), threads);
                s = fromSpec(o, registry, backend);
            } else {
                s = fromModelOptions(o, registry); // loads the data before the backend, as it always did
                backend = Backends.open(registry, o.get("backend", null), threads);
                s.net = s.model.build(registry, backend, s.dtype, s.data.train().sampleShape(),
                        s.data.train().numClasses(), s.seed);
            }
            if (stopping != null) {
                s.stopping = stopping;
            }
            return train(s, o, ui, out, saveDir, created);
        } finally {
            if (backend != null) {
                Backends.close(backend);
            }
        }
    }

    /** The book's nets from {@code --model} and its options; the network is built once the backend is open. */
    private static Setup fromModelOptions(Options o, Registry registry) {
        Setup s = new Setup();
        ModelSpec model = ModelSpec.parse(o, ModelSpec.Purpose.TRAIN);
        s.model = model;
        s.optimizerSpec = OptimizerSpec.parse(o, model.model);
        s.epochs = o.getInt("epochs", 17, 1, 1_000_000);
        s.batch = o.getInt("batch-size", 100, 1, 1_000_000);
        s.seed = o.getLong("seed", 0);
        s.dtype = parseDType(o.get("dtype", "float32"));
        Path dataDir = dataDir(o);
        String dataset = datasetName(o, dataDir);
        int limit = o.getInt("train-limit", Integer.MAX_VALUE, 1, Integer.MAX_VALUE);
        // fail fast, listing the known names, before loading any data
        registry.layers().get(model.activation);
        s.optimizer = s.optimizerSpec.create(registry);
        s.schedule = s.optimizerSpec.schedule(s.optimizer, s.epochs);
        s.data = loadData(registry, dataset, dataDir, o.has(DOWNLOAD), limit, model.needsImages(), s.batch);
        s.modelText = model.describe(s.data.train().sampleShape(), s.data.train().numClasses());
        return s;
    }

    /** {@code --spec FILE}: the network, and the defaults of the optimizer and the training, from the file. */
    private static Setup fromSpec(Options o, Registry registry, Backend backend) {
        Setup s = new Setup();
        Path file = Path.of(o.get(SPEC, ""));
        NetworkSpec spec = SpecFile.read(file);
        NetworkSpec.Training t = spec.training().orElse(null);
        s.epochs = o.getInt("epochs", t != null ? t.epochs() : 17, 1, 1_000_000);
        s.batch = o.getInt("batch-size", t != null ? t.batchSize() : 100, 1, 1_000_000);
        s.seed = o.getLong("seed", t != null ? t.seed() : 0);
        s.dtype = o.has("dtype") ? parseDType(o.get("dtype", "")) : spec.dtype();
        spec = spec.withDType(s.dtype);
        s.optimizerSpec = OptimizerSpec.parse(o, spec.optimizer().orElse(null), t == null ? null : t.schedule(),
                file + ": training.schedule");
        try {
            s.optimizer = s.optimizerSpec.create(registry);
        } catch (NnjException | IllegalArgumentException e) {
            throw new DataFormatException(file + ": optimizer: " + Main.oneLine(e), e);
        }
        s.schedule = s.optimizerSpec.schedule(s.optimizer, s.epochs);
        s.net = SpecFile.build(spec, file, registry, backend, s.seed);
        Path dataDir = dataDir(o);
        s.data = loadData(registry, datasetName(o, dataDir), dataDir, o.has(DOWNLOAD),
                o.getInt("train-limit", Integer.MAX_VALUE, 1, Integer.MAX_VALUE), SpecFile.wantsImages(spec), s.batch);
        SpecFile.checkFits(spec, s.net, file, s.data.train(), s.data.description());
        s.modelText = file + " [" + SpecFile.describe(spec) + "]";
        return s;
    }

    /**
     * {@code --resume DIR}: everything from the checkpoint, with the few options that may change.
     *
     * @param source DIR's lock if this run saves elsewhere, released once the checkpoint is read, or null
     */
    private static Setup resume(Options o, Registry registry, Backend backend, Path dir, RunLock source)
            throws IOException {
        Path cpDir = RunDir.checkpointToResume(dir);
        Path specFile = cpDir.resolve(ModelStore.NETWORK_FILE);
        Checkpoint c = ModelStore.loadCheckpoint(cpDir, registry, backend);
        if (source != null) {
            source.close(); // the checkpoint is read: other runs may save into DIR again
        }
        NetworkSpec spec = c.spec();
        NetworkSpec.Training t = spec.training().orElseThrow(() -> new DataFormatException(specFile
                + ": expected \"training\" settings (a checkpoint of nnj train --save), found none"));
        NetworkSpec.Component opt = spec.optimizer().orElseThrow(() -> new DataFormatException(specFile
                + ": expected an \"optimizer\" (a checkpoint of nnj train --save), found none"));
        Setup s = new Setup();
        s.resumedFrom = cpDir;
        s.net = c.network();
        s.completed = c.epoch();
        s.past = c.history();
        s.stopping = c.earlyStopping().orElse(null);
        s.epochs = o.getInt("epochs", Math.max(t.epochs(), c.epoch()), 1, 1_000_000);
        if (s.epochs < c.epoch()) {
            throw new UsageException("option --epochs " + s.epochs + ": the run in " + dir + " has already finished "
                    + Plural.of(c.epoch(), "epoch"));
        }
        s.batch = t.batchSize();
        s.seed = t.seed();
        s.dtype = spec.dtype();
        s.optimizerSpec = OptimizerSpec.parse(o, opt, t.schedule(), specFile + ": training.schedule");
        s.optimizer = s.optimizerSpec.create(registry);
        // the schedule starts from the configured rate, so it is made before the saved state (and rate) is restored
        s.schedule = s.optimizerSpec.schedule(s.optimizer, s.epochs);
        c.restoreOptimizer(s.optimizer);
        if (o.has("lr")) {
            s.optimizer.setLearningRate(o.getPositive("lr", 0));
        }
        Map<String, String> run = c.run();
        String dataset = run.getOrDefault(RUN_DATASET, "mnist");
        Path dataDir = o.has("data-dir") ? dataDir(o) : run.containsKey(RUN_DATA_DIR) ? Path.of(run.get(RUN_DATA_DIR))
                : null;
        if (dataDir != null && !Files.isDirectory(dataDir)) {
            throw new DataFormatException(cpDir.resolve(ModelStore.CHECKPOINT_FILE) + ": the run's data directory "
                    + dataDir + " is missing; give its new place with --data-dir");
        }
        int limit = Integer.MAX_VALUE;
        if (run.containsKey(RUN_TRAIN_LIMIT)) {
            try {
                limit = Integer.parseInt(run.get(RUN_TRAIN_LIMIT));
            } catch (NumberFormatException e) {
                throw new DataFormatException(cpDir.resolve(ModelStore.CHECKPOINT_FILE) + ": run.train_limit: "
                        + "expected an integer, found " + run.get(RUN_TRAIN_LIMIT));
            }
        }
        s.data = loadData(registry, dataset, dataDir, false, limit, SpecFile.wantsImages(spec), s.batch);
        String recorded = run.get(RUN_DATA_FINGERPRINT);
        String found = fingerprint(s.data);
        s.dataFingerprint = found;
        if (recorded != null && !recorded.equals(found)) { // older checkpoints record none
            throw new DataFormatException((o.has("data-dir") ? "--data-dir " + dataDir : "--resume " + dir + ": "
                    + (dataDir == null ? "the embedded sample" : dataDir.toString())) + ": expected the data the run in "
                    + dir + " trained on (" + describeFingerprint(recorded) + "), found other data (" + describeFingerprint(
                    found) + "); resume a run with its own data");
        }
        SpecFile.checkFits(spec, s.net, specFile, s.data.train(), s.data.description());
        s.modelText = run.getOrDefault(RUN_MODEL, SpecFile.describe(spec));
        return s;
    }

    /** The data's {@link DataFingerprint}: which data a resumed run must find. */
    static String fingerprint(Data data) {
        return DataFingerprint.of(data.train(), data.test());
    }

    /** {@code 8000 training and 2000 test images, content a1b2c3d4…}; the text itself if it is no fingerprint. */
    private static String describeFingerprint(String fingerprint) {
        String[] f = fingerprint.split("/");
        return f.length != 3 || f[2].length() < 8 ? fingerprint : f[0] + " training and " + f[1] + " test images, "
                + "content " + f[2].substring(0, 8) + "…";
    }

    /**
     * Refuses, before anything is trained, created or locked, a {@code --metrics} or {@code --plot} file that would
     * land in a saved model or run directory (this run's own included) or in {@code --data-dir}, that is not a regular
     * file, or that names the other output or the {@code --spec} file.
     */
    private static void checkOutputs(Options o, Path plot, Path saveDir, Path resumeDir) {
        Path metrics = o.has("metrics") && !o.get("metrics", "").isEmpty() ? Path.of(o.get("metrics", "")) : null;
        Path spec = o.has(SPEC) && !o.get(SPEC, "").isEmpty() ? Path.of(o.get(SPEC, "")) : null;
        Path dataDirOption = o.has("data-dir") && !o.get("data-dir", "").isEmpty() ? Path.of(o.get("data-dir", ""))
                : null;
        for (Path file : new Path[] {metrics, plot}) {
            if (file == null) {
                continue;
            }
            String option = file == metrics ? "--metrics" : "--" + RunOutput.PLOT;
            RunDir.checkOutput(file, option, saveDir, resumeDir);
            RunDir.checkOutsideData(file, option, dataDirOption);
            if (spec != null && RunDir.same(file, spec)) {
                throw new UsageException("option " + option + " " + file + ": that is the --spec file; write the "
                        + "output to another file");
            }
        }
        if (metrics != null && plot != null && RunDir.same(metrics, plot)) {
            throw new UsageException("options --metrics and --plot name the same file " + metrics + "; give each "
                    + "its own");
        }
    }

    private static EarlyStopping earlyStopping(Options o) {
        int patience = o.getInt(EARLY_STOP, 0, 0, 1_000_000);
        EarlyStopping.Monitor monitor;
        try {
            monitor = EarlyStopping.Monitor.parse(o.get(MONITOR, "test_acc"));
        } catch (IllegalArgumentException e) {
            throw new UsageException("option --" + MONITOR + ": " + e.getMessage());
        }
        return new EarlyStopping(monitor, patience, o.getNonNegative(MIN_DELTA, 0));
    }

    /** @param created the topmost directory this run created for {@code saveDir}, or null */
    private int train(Setup s, Options o, RunOutput ui, PrintStream out, Path saveDir, Path created)
            throws IOException {
        DataSplit train = s.data.train();
        DataSplit test = s.data.test();
        NetworkSpec savedSpec = s.savedSpec();
        Map<String, String> runSettings = saveDir != null ? s.runSettings() : Map.of(); // checkpoints only
        Backend backend = s.net.parameters().get(0).value().backend();
        List<EpochMetrics> full = new ArrayList<>(s.past);
        // the epoch of the checkpoint in saveDir: the resumed one if saving where it came from
        int[] checkpointEpoch = {s.resumedFrom != null && saveDir != null
                && RunDir.same(s.resumedFrom, RunDir.checkpoint(saveDir)) ? s.completed : 0};
        boolean[] stopping = {false}; // set by the interrupted hook, under checkpointEpoch's lock
        try (MetricsFile metrics = o.has("metrics") ? new MetricsFile(Path.of(o.get("metrics", ""))) : null) {
            if (metrics != null) {
                for (EpochMetrics m : s.past) {
                    metrics.append(m);
                }
            }
            ui.info().printf(Locale.ROOT, "%s %s on %s: %d training / %d test images; %s, %s, batch %d, "
                            + "%s, seed %d, backend %s%s%n",
                    s.resumedFrom == null ? "train" : "resume " + s.resumedFrom + " after epoch " + s.completed + ":",
                    s.modelText, s.data.description(), train.size(), test.size(), s.dtype,
                    s.optimizerSpec.describe(s.optimizer), s.batch, Plural.of(s.epochs, "epoch"), s.seed,
                    backend.name(),
                    s.stopping == null ? "" : ", early stopping on " + s.stopping);
            if (s.completed > 0 && !s.past.isEmpty()) {
                EpochMetrics m = s.past.get(s.past.size() - 1);
                ui.info().printf(Locale.ROOT, "epoch %2d/%d  loss %s  train_acc %.4f  test_acc %.4f  (saved)%n",
                        m.epoch(), s.epochs, loss(m.loss()), m.trainAcc(), m.testAcc());
            }
            if (saveDir != null && s.resumedFrom != null && checkpointEpoch[0] == 0) {
                // resumed from elsewhere: the new directory starts with the checkpoint the run resumes from, so that
                // it can be resumed (and says what it holds) even before this run finishes an epoch
                ModelStore.saveCheckpoint(RunDir.checkpoint(saveDir), s.net, savedSpec, s.optimizer, s.completed,
                        full, s.stopping, runSettings);
                checkpointEpoch[0] = s.completed;
            }
            Trainer.Builder builder = Trainer.builder().epochs(s.epochs).batchSize(s.batch).seed(s.seed)
                    .completedEpochs(s.completed);
            if (s.schedule != null) {
                builder.learningRateSchedule(s.schedule);
            }
            if (s.stopping != null) {
                builder.earlyStopping(s.stopping);
            }
            Trainer trainer = builder
                    .listener(ui.progress(s.batch)) // first: it blanks its line before the epoch line is printed
                    .listener(new TrainingListener() {
                        @Override
                        public void onEpoch(EpochMetrics m) {
                            full.add(m);
                            ui.info().printf(Locale.ROOT,
                                    "epoch %2d/%d  loss %s  train_acc %.4f  test_acc %.4f  %.2f s%s%n",
                                    m.epoch(), s.epochs, loss(m.loss()), m.trainAcc(), m.testAcc(), m.seconds(),
                                    s.schedule == null ? "" : String.format(Locale.ROOT, "  lr %.6g",
                                            s.optimizer.learningRate()));
                            if (metrics != null) {
                                try {
                                    metrics.append(m);
                                } catch (IOException e) {
                                    throw new UncheckedIOException("--metrics: cannot write: " + e.getMessage(), e);
                                }
                            }
                            if (saveDir != null) {
                                synchronized (checkpointEpoch) { // not while the interrupted hook reports
                                    if (stopping[0]) {
                                        return; // the JVM is stopping: the checkpoint stays the one reported
                                    }
                                    ModelStore.saveCheckpoint(RunDir.checkpoint(saveDir), s.net, savedSpec,
                                            s.optimizer, m.epoch(), full, s.stopping, runSettings);
                                    checkpointEpoch[0] = m.epoch();
                                }
                            }
                        }
                    })
                    .build();
            long start = System.nanoTime();
            List<EpochMetrics> history;
            // A signal runs this while the training thread goes on: it waits for a checkpoint being saved, and
            // no other is saved after it, so that the epoch it names is the one on disk.
            Thread interrupted = saveDir == null ? null : new Thread(() -> {
                synchronized (checkpointEpoch) {
                    stopping[0] = true;
                    if (checkpointEpoch[0] == 0 && created != null) {
                        RunDir.removeIfUnused(saveDir, created);
                    }
                    System.out.flush();
                    System.err.println((ui.progress() ? "\n" : "") + "nnj train: "
                            + interruptedMessage(saveDir, checkpointEpoch[0]));
                }
            }, "nnj-interrupted");
            if (interrupted != null) {
                Runtime.getRuntime().addShutdownHook(interrupted); // runs only if a signal stops the training
            }
            try {
                history = ui.during(() -> trainer.fit(s.net, s.optimizer, train, test));
            } catch (TrainingDivergedException e) {
                throw diverged(e, s, savedSpec, saveDir, checkpointEpoch[0]);
            } finally {
                if (interrupted != null) {
                    try {
                        Runtime.getRuntime().removeShutdownHook(interrupted);
                    } catch (IllegalStateException e) {
                        // the JVM is already stopping: the hook tells what was kept
                    }
                }
            }
            double total = (System.nanoTime() - start) / 1e9;
            if (metrics != null) {
                metrics.commit();
            }
            if (history.isEmpty()) {
                ui.info().printf(Locale.ROOT, "nothing left to train: %s%n", s.stopping != null
                        && s.stopping.stopped() ? "the run stopped early at epoch " + s.completed + " (its "
                        + s.stopping.monitor().label() + " had not improved for "
                        + Plural.of(s.stopping.epochsWithoutImprovement(), "epoch") + "); a stopped run does not "
                        + "train again, whatever --epochs says: start a new run to train longer"
                        : "the run has finished its " + Plural.of(s.completed, "epoch") + " (give --epochs N to train "
                        + "longer)");
            }
            EpochMetrics last = full.get(full.size() - 1);
            EpochMetrics result = last;
            if (s.stopping != null && s.stopping.bestEpoch() > 0) {
                EarlyStopping es = s.stopping;
                result = full.stream().filter(m -> m.epoch() == es.bestEpoch()).findFirst().orElse(last);
                ui.info().printf(Locale.ROOT, "early stopping: %s; kept the weights of epoch %d (%s %.4f)%n",
                        es.stopped() ? es.monitor().label() + " did not improve for "
                                + Plural.of(es.epochsWithoutImprovement(), "epoch") + ", stopped after epoch "
                                + last.epoch()
                                : last.epoch() == 1 ? "ran its 1 epoch" : "ran all " + last.epoch() + " epochs",
                        es.bestEpoch(), es.monitor().label(), es.best());
            }
            if (saveDir != null) {
                ModelStore.save(s.net, savedSpec, saveDir);
                ui.info().printf(Locale.ROOT, "saved the model to %s (the checkpoint of epoch %d in %s)%n", saveDir,
                        checkpointEpoch[0], RunDir.checkpoint(saveDir));
                if (RunDir.removeSupersededLastFinite(saveDir)) {
                    ui.info().printf(Locale.ROOT, "removed %s, the last finite weights of an earlier attempt that "
                            + "diverged: this model supersedes them%n", RunDir.lastFinite(saveDir));
                }
            }
            ui.plot(full, "nnj train: " + s.modelText + " on " + s.data.description());
            List<EpochMetrics> timed = history.isEmpty() ? full : history;
            double perEpoch = timed.stream().mapToDouble(EpochMetrics::seconds).sum() / timed.size();
            out.printf(Locale.ROOT, "final test_acc %.4f (train_acc %.4f%s) after %s %s%n",
                    result.testAcc(), result.trainAcc(), result == last ? "" : ", the weights of epoch "
                            + result.epoch(), Plural.of(last.epoch(), "epoch"), history.isEmpty()
                            ? String.format(Locale.ROOT, "(none trained now; %.2f s per epoch when they were)",
                                    perEpoch)
                            : String.format(Locale.ROOT, "in %.1f s total (%.2f s per epoch of training)", total,
                                    perEpoch));
            return ExitCode.OK;
        }
    }

    /**
     * A loss for the epoch lines: four decimals, or four significant digits with an exponent from 1e6 on (a diverging
     * but still finite loss would otherwise print 30 digits).
     */
    static String loss(double v) {
        return Math.abs(v) < 1e6 || !Double.isFinite(v) ? String.format(Locale.ROOT, "%.4f", v)
                : String.format(Locale.ROOT, "%.4e", v);
    }

    /** What Ctrl-C or {@code kill} in the middle of a {@code --save} run leaves, and how to go on. */
    static String interruptedMessage(Path saveDir, int checkpointEpoch) {
        return checkpointEpoch > 0
                ? "interrupted; " + RunDir.checkpoint(saveDir) + " holds the checkpoint of epoch " + checkpointEpoch
                        + ": ./nnj train --resume " + shellWord(saveDir.toString()) + " continues from there"
                : "interrupted before an epoch of this run finished; nothing of it is saved in " + saveDir;
    }

    /** {@code text} as one word of a shell command: as it is if that is safe, else in single quotes. */
    static String shellWord(String text) {
        return text.matches("[A-Za-z0-9_./:@%+=,-]+") ? text : "'" + text.replace("'", "'\\''") + "'";
    }

    /**
     * The divergence, told with what was kept: with {@code --save}, the weights of the last finite step (the network
     * holds them: the trainer stops before a non-finite update) go to {@code DIR/last-finite}, and the checkpoint of
     * the last finished epoch stays as it was.
     */
    private static TrainingDivergedException diverged(TrainingDivergedException e, Setup s, NetworkSpec savedSpec,
                                                      Path saveDir, int checkpointEpoch) {
        if (saveDir == null) {
            return e;
        }
        Path lastFinite = RunDir.lastFinite(saveDir);
        StringBuilder m = new StringBuilder(e.getMessage());
        try {
            ModelStore.save(s.net, savedSpec, lastFinite);
            m.append("; the weights of the last finite step are saved in ").append(lastFinite);
        } catch (RuntimeException x) {
            m.append("; the weights of the last finite step could not be saved in ").append(lastFinite).append(" (")
                    .append(Main.oneLine(x)).append(')');
        }
        if (checkpointEpoch > 0) {
            m.append("; the checkpoint of epoch ").append(checkpointEpoch).append(" in ")
                    .append(RunDir.checkpoint(saveDir)).append(" is intact (continue with ./nnj train --resume ")
                    .append(saveDir);
            try {
                m.append(String.format(Locale.ROOT, " --lr %.3g", s.optimizer.learningRate() / 10));
            } catch (UnsupportedOperationException x) {
                m.append(" --lr X");
            }
            m.append(')');
        } else {
            // nothing to resume: the run starts again, with a lower rate, in a directory that does not hold these
            m.append("; no epoch finished, so there is nothing to resume: train again with a lower --lr");
            try {
                m.append(String.format(Locale.ROOT, " (below %.3g)", s.optimizer.learningRate()));
            } catch (UnsupportedOperationException x) {
                // a rate the optimizer does not expose
            }
            m.append(" and another --save directory, or move ").append(RunDir.lastFinite(saveDir))
                    .append(" away first");
        }
        TrainingDivergedException d = new TrainingDivergedException(m.toString());
        d.initCause(e);
        return d;
    }

    private static Data loadData(Registry registry, String name, Path dir, boolean download, int limit,
            boolean images, int batch) {
        Settings dataSettings = Settings.of("flatten", !images);
        if (dir != null) {
            dataSettings = dataSettings.with("dir", dir.toString());
        }
        if (download) {
            dataSettings = dataSettings.with(DOWNLOAD, true);
        }
        Dataset data = registry.dataset(name, dataSettings);
        DataSplit train = LimitedSplit.of(data.train(), limit);
        DataSplit test = data.test();
        if (test.size() == 0) {
            throw new DataFormatException(data.description() + ": the test split is empty; expected at least one "
                    + "image to measure accuracy on");
        }
        if (train.size() < batch) {
            throw new UsageException("--batch-size " + batch + " is larger than the training split (" + train.size()
                    + " samples)");
        }
        return new Data(name, recordedDir(name, dir, download), limit, train, test, data.description());
    }

    /**
     * The data directory a run records: {@code --data-dir}, or, for a download without it, the directory the mnist
     * and fashion-mnist providers download into, so that evaluate and --resume find the files the run trained on
     * rather than falling back to the embedded sample.
     */
    static Path recordedDir(String dataset, Path dir, boolean download) {
        return dir == null && download && List.of("mnist", "fashion-mnist").contains(dataset)
                ? MnistDownloader.defaultDirectory(dataset) : dir;
    }

    private static Path dataDir(Options o) {
        Path dataDir = o.has("data-dir") ? Path.of(o.get("data-dir", "")) : null;
        if (dataDir != null && dataDir.toString().isEmpty()) {
            throw new UsageException("option --data-dir: expected a directory, found an empty value");
        }
        if (dataDir != null && !Files.isDirectory(dataDir) && !(o.has(DOWNLOAD) && !Files.exists(dataDir))) {
            throw new DataFormatException("--data-dir " + dataDir + ": expected a directory holding the four IDX "
                    + "files, found " + (Files.exists(dataDir) ? "a file" : "nothing"));
        }
        return dataDir;
    }

    private static String datasetName(Options o, Path dataDir) {
        return o.get("dataset", dataDir != null
                && dataDir.toAbsolutePath().normalize().toString().toLowerCase(Locale.ROOT).contains("fashion")
                ? "fashion-mnist" : "mnist");
    }

    private static Path directory(Options o, String option) {
        String text = o.get(option, "");
        if (text.isEmpty()) {
            throw new UsageException("option --" + option + ": expected a directory, found an empty value");
        }
        return Path.of(text);
    }

    private static DType parseDType(String text) {
        try {
            return DType.parse(text);
        } catch (IllegalArgumentException e) {
            throw new UsageException("option --dtype: expected float32 or float64, found '" + text + "'");
        }
    }
}
