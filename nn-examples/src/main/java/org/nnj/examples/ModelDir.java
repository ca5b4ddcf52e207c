package org.nnj.examples;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.nnj.api.Backend;
import org.nnj.api.DataFormatException;
import org.nnj.api.Shape;
import org.nnj.core.Network;
import org.nnj.core.Registry;
import org.nnj.core.io.ModelStore;

/** The {@code --model DIR} of {@code predict}, {@code evaluate} and {@code summary}: a saved model or checkpoint. */
final class ModelDir {
    /** The options every command that loads a model takes. */
    static final Set<String> OPTIONS = Set.of("model", "backend", "threads");

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

    /** The network's per-sample input shape, from its spec (a loaded network always has one). */
    static Shape inputShape(Network net) {
        return net.spec().orElseThrow(() -> new IllegalStateException("a loaded network without a spec"))
                .inputShape();
    }
}
