package org.nnj.examples;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.nnj.api.Backend;
import org.nnj.api.DataFormatException;
import org.nnj.api.Parameter;
import org.nnj.api.Shape;
import org.nnj.core.Network;
import org.nnj.core.Registry;
import org.nnj.core.io.ModelStore;

/** The {@code --model DIR} of {@code predict}, {@code evaluate} and {@code summary}: a saved model or checkpoint. */
final class ModelDir {
    /** The options every command that loads a model takes. */
    static final Set<String> OPTIONS = Set.of("model", "backend", "threads");
    /** checkpoint.json files larger than this are not read for the run settings (a long history is a few MB). */
    private static final long MAX_CHECKPOINT_JSON = 64L << 20;
    /** A weight larger than this in magnitude is far outside what training produces: it overflowed. */
    static final double HUGE_WEIGHT = 1e4;

    /**
     * The data a model was trained on, as {@code train --save} records it in the run's {@code checkpoint.json}
     * ({@code "run": {"dataset": ..., "data_dir": ...}}).
     *
     * @param dataset    the dataset provider's name, e.g. {@code fashion-mnist}
     * @param dataDir    the data directory given to train, or null (the provider's default, e.g. the embedded sample)
     * @param recordedIn the {@code checkpoint.json} it was read from
     * @param trainLimit the run's {@code --train-limit}: it trained on this many first images ({@code MAX_VALUE}: all)
     */
    record TrainingData(String dataset, Path dataDir, Path recordedIn, int trainLimit) {
        /** {@code fashion-mnist (/usr/share/datasets/fashion-mnist)}, or just the name without a directory. */
        String describe() {
            return dataset + (dataDir == null ? "" : " (" + dataDir + ")");
        }
    }

    private ModelDir() {
    }

    /**
     * The directory named by {@code --model}.
     *
     * @throws UsageException if {@code --model} is missing or empty
     * @throws DataFormatException if it names no directory
     */
    static Path path(Options o) {
        if (!o.has("model") || o.get("model", "").isBlank()) {
            throw new UsageException("option --model DIR is required: a model directory written by train --save");
        }
        Path dir = Path.of(o.get("model", ""));
        if (!Files.isDirectory(dir)) {
            throw new DataFormatException("--model " + dir + ": expected a model directory (written by train --save, "
                    + "holding " + ModelStore.NETWORK_FILE + " and " + ModelStore.WEIGHTS_FILE + "), found "
                    + (Files.exists(dir) ? "a file" : "nothing at that path"));
        }
        if (!Files.exists(dir.resolve(ModelStore.NETWORK_FILE)) && !Files.exists(dir.resolve(ModelStore.MANIFEST_FILE))) {
            Path checkpoint = dir.resolve("checkpoint");
            throw new DataFormatException("--model " + dir + ": expected a model directory (written by train --save), "
                    + "found a directory without " + ModelStore.NETWORK_FILE
                    + (Files.exists(checkpoint.resolve(ModelStore.NETWORK_FILE))
                    ? "; its last checkpoint is --model " + checkpoint : ""));
        }
        return dir;
    }

    /** The backend of {@code --backend} and {@code --threads} (default: the registry's default). */
    static Backend backend(Registry registry, Options o) {
        return Backends.open(registry, o.get("backend", null), o.getInt("threads", 0, 1, 4096));
    }

    /** Loads the model; every failure is a one-line {@link DataFormatException} naming the file. */
    static Network load(Path dir, Registry registry, Backend backend) {
        return ModelStore.load(dir, registry, backend);
    }

    /**
     * The data the model in {@code dir} was trained on, if its run recorded it: read from {@code dir/checkpoint.json}
     * (a checkpoint), else {@code dir/checkpoint/checkpoint.json} (a run's final model), else, for a run's
     * {@code last-finite} model, the run's {@code checkpoint/checkpoint.json}. Empty if none of these exists or records
     * a dataset (a model saved by {@code ModelStore.save} or by an nnj before run settings were recorded).
     *
     * @throws DataFormatException naming the file if it does not match its manifest's checksum or cannot be read
     */
    static Optional<TrainingData> trainingData(Path dir) {
        List<Path> candidates = new ArrayList<>(List.of(dir.resolve(ModelStore.CHECKPOINT_FILE),
                RunDir.checkpoint(dir).resolve(ModelStore.CHECKPOINT_FILE)));
        Path name = dir.toAbsolutePath().normalize().getFileName();
        Path parent = dir.toAbsolutePath().normalize().getParent();
        if (name != null && name.toString().equals(RunDir.LAST_FINITE) && parent != null) {
            candidates.add(RunDir.checkpoint(parent).resolve(ModelStore.CHECKPOINT_FILE));
        }
        for (Path file : candidates) {
            if (Files.isRegularFile(file)) {
                byte[] bytes;
                try {
                    bytes = Files.exists(file.resolveSibling(ModelStore.MANIFEST_FILE))
                            ? ModelStore.readVerified(file.getParent(), ModelStore.CHECKPOINT_FILE, MAX_CHECKPOINT_JSON)
                            : Files.size(file) > MAX_CHECKPOINT_JSON ? null : Files.readAllBytes(file);
                } catch (IOException e) {
                    throw new DataFormatException(file + ": cannot read: " + Main.oneLine(e), e);
                }
                if (bytes == null) {
                    throw new DataFormatException(file + ": expected at most " + (MAX_CHECKPOINT_JSON >> 20) + " MB, "
                            + "found more");
                }
                try {
                    return runData(bytes, file);
                } catch (RuntimeException e) {
                    throw new DataFormatException(file + ": cannot read the run's data settings (" + Main.oneLine(e)
                            + "); give the data with --data-dir");
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<TrainingData> runData(byte[] bytes, Path file) {
        JsonObject o = JsonParser.parseString(new String(bytes, StandardCharsets.UTF_8)).getAsJsonObject();
        JsonElement run = o.get("run");
        if (run == null || !run.isJsonObject()) {
            return Optional.empty();
        }
        JsonElement dataset = run.getAsJsonObject().get(TrainCommand.RUN_DATASET);
        if (dataset == null || !dataset.isJsonPrimitive() || dataset.getAsString().isBlank()) {
            return Optional.empty();
        }
        JsonElement dataDir = run.getAsJsonObject().get(TrainCommand.RUN_DATA_DIR);
        JsonElement limit = run.getAsJsonObject().get(TrainCommand.RUN_TRAIN_LIMIT);
        return Optional.of(new TrainingData(dataset.getAsString(),
                dataDir != null && dataDir.isJsonPrimitive() && !dataDir.getAsString().isEmpty()
                        ? Path.of(dataDir.getAsString()) : null, file,
                limit == null ? Integer.MAX_VALUE : positive(TrainCommand.RUN_TRAIN_LIMIT, limit.getAsString())));
    }

    private static int positive(String key, String text) {
        int n = Integer.parseInt(text.trim());
        if (n < 1) {
            throw new IllegalArgumentException(key + " must be at least 1, found " + n);
        }
        return n;
    }

    /**
     * Why a network's outputs may not be finite, for a message that begins "the model's outputs ... are not finite":
     * its largest parameter, and if that is huge, that the weights overflowed (as after a run diverged) and where the
     * run's last good weights are.
     */
    static String whyNotFinite(Path dir, Network net) {
        double largest = 0;
        String where = "";
        for (Parameter p : net.parameters()) {
            for (double v : p.value().toDoubleArray()) {
                if (!(Math.abs(v) <= largest)) {
                    largest = Math.abs(v);
                    where = p.name();
                }
            }
        }
        if (!(largest > HUGE_WEIGHT)) {
            return String.format(Locale.ROOT, "its largest weight is %.3g in magnitude (%s)", largest, where);
        }
        Path name = dir.toAbsolutePath().normalize().getFileName();
        Path parent = dir.toAbsolutePath().normalize().getParent();
        String instead = name != null && name.toString().equals(RunDir.LAST_FINITE) && parent != null
                && Files.isDirectory(RunDir.checkpoint(parent))
                ? "; the run's checkpoint " + RunDir.checkpoint(parent) + " holds the weights of its last finished "
                        + "epoch"
                : "";
        return String.format(Locale.ROOT, "its weights are far too large (the largest, in %s, is %.3g in magnitude), "
                + "so the arithmetic overflowed, as it does with the weights of a diverged run%s", where, largest,
                instead);
    }

    /** The network's per-sample input shape, from its spec (a loaded network always has one). */
    static Shape inputShape(Network net) {
        return net.spec().orElseThrow(() -> new IllegalStateException("a loaded network without a spec"))
                .inputShape();
    }
}
