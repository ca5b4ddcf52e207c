package org.nnj.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.nnj.api.DataFormatException;
import org.nnj.core.io.ModelStore;

/**
 * The directory of {@code train --save DIR}:
 *
 * <pre>
 *   DIR/                the final model (network.json, weights.safetensors, manifest.json), written when the run
 *                       ends: the last epoch's weights, or the best epoch's with --early-stop
 *   DIR/checkpoint/     everything needed to resume, rewritten after every epoch: the model as it is after that
 *                       epoch, the optimizer's state, the epoch, the history, early stopping's state and best weights,
 *                       and the run's data settings
 *   DIR/last-finite/    only if training diverged: the model with the weights of the last finite step
 * </pre>
 *
 * Each of the three is written crash-safely by {@link ModelStore} (files flushed and renamed atomically, committed by
 * the manifest), so a crash at any moment leaves each either as it was or complete. Each is a model directory that
 * {@code ModelStore.load} (and {@code predict --model}) reads.
 */
final class RunDir {
    /** Where the checkpoint goes. */
    static final String CHECKPOINT = "checkpoint";
    /** Where the weights of the last finite step go when training diverges. */
    static final String LAST_FINITE = "last-finite";

    private RunDir() {
    }

    static Path checkpoint(Path dir) {
        return dir.resolve(CHECKPOINT);
    }

    static Path lastFinite(Path dir) {
        return dir.resolve(LAST_FINITE);
    }

    /**
     * Checks that a new run may save into {@code dir} and creates it: it must not hold a saved run already (nor be a
     * file), so that no saved model is overwritten by mistake.
     *
     * @param resumed the directory being resumed, into which saving is allowed, or null
     * @throws UsageException if {@code dir} holds another run
     * @throws IOException    naming the directory if it cannot be created
     */
    static void prepare(Path dir, Path resumed) throws IOException {
        if (resumed != null && same(dir, resumed)) {
            return;
        }
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new UsageException("option --save " + dir + ": expected a directory, found a file");
        }
        if (Files.exists(dir.resolve(ModelStore.MANIFEST_FILE))
                || Files.exists(checkpoint(dir).resolve(ModelStore.MANIFEST_FILE))) {
            throw new UsageException("option --save " + dir + ": the directory already holds a saved run; continue it "
                    + "with --resume " + dir + ", or save into another directory");
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IOException("--save " + dir + ": cannot create the directory (" + e + ")", e);
        }
        if (!Files.isWritable(dir)) {
            throw new IOException("--save " + dir + ": the directory is not writable");
        }
    }

    /**
     * The checkpoint directory of a run to resume.
     *
     * @throws DataFormatException if {@code dir} holds no checkpoint
     */
    static Path checkpointToResume(Path dir) {
        Path cp = checkpoint(dir);
        if (!Files.exists(cp.resolve(ModelStore.MANIFEST_FILE))) {
            throw new DataFormatException("--resume " + dir + ": expected a run saved by train --save (with "
                    + cp.resolve(ModelStore.MANIFEST_FILE) + "), found " + (!Files.exists(dir) ? "no such directory"
                    : Files.exists(dir.resolve(ModelStore.MANIFEST_FILE)) ? "a model without a checkpoint"
                    : "no checkpoint"));
        }
        return cp;
    }

    private static boolean same(Path a, Path b) {
        return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
    }
}
