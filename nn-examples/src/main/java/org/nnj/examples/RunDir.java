package org.nnj.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.nnj.api.DataFormatException;
import org.nnj.core.io.ModelStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 *   DIR/.nnj.lock       the lock a run holds on DIR while it runs ({@link RunLock}); it stays, unlocked, afterwards
 * </pre>
 *
 * Each of the three is written crash-safely by {@link ModelStore} (files flushed and renamed atomically, committed by
 * the manifest), so a crash at any moment leaves each either as it was or complete. Each is a model directory that
 * {@code ModelStore.load} (and {@code predict --model}) reads.
 */
final class RunDir {
    private static final Logger LOG = LoggerFactory.getLogger(RunDir.class);

    /** Where the checkpoint goes. */
    static final String CHECKPOINT = "checkpoint";
    /** Where the weights of the last finite step go when training diverges. */
    static final String LAST_FINITE = "last-finite";

    /** The names a run writes into its directory. */
    private static final List<String> RUN_FILES = List.of(ModelStore.MANIFEST_FILE, ModelStore.NETWORK_FILE,
            ModelStore.WEIGHTS_FILE, ModelStore.OPTIMIZER_FILE, ModelStore.CHECKPOINT_FILE, CHECKPOINT, LAST_FINITE);

    private RunDir() {
    }

    static Path checkpoint(Path dir) {
        return dir.resolve(CHECKPOINT);
    }

    static Path lastFinite(Path dir) {
        return dir.resolve(LAST_FINITE);
    }

    /**
     * Claims {@code dir} for this run's saves: checks that a new run may save into it and creates it, then locks it
     * against other runs ({@link RunLock}) and checks again under the lock. A new run may not save where a saved run
     * already is (nor into a file), so that no saved model is overwritten by mistake: a directory holding any of the
     * files a save writes, a {@code checkpoint/} or a {@code last-finite/} is refused, naming what it holds. A
     * directory that holds only other files, or only the lock file of an earlier run, is fine.
     *
     * @param resumed the directory being resumed, into which saving is allowed, or null
     * @return the lock, to be held until the run ends
     * @throws UsageException if {@code dir} holds another run
     * @throws IOException    naming the directory if it cannot be created, or another run holds it
     */
    static RunLock claim(Path dir, Path resumed) throws IOException {
        boolean resuming = resumed != null && same(dir, resumed);
        if (!resuming) {
            checkNew(dir);
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new IOException("--save " + dir + ": cannot create the directory (" + Main.oneLine(e) + ")", e);
            }
            if (!Files.isWritable(dir)) {
                throw new IOException("--save " + dir + ": the directory is not writable");
            }
        }
        RunLock lock = RunLock.acquire(dir);
        try {
            if (!resuming) {
                checkNew(dir); // another run may have saved here between the first check and the lock
                clearUncommittedCheckpoint(dir); // only now: until the lock, its writer could still be running
            }
            return lock;
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /**
     * The topmost of {@code dir} and its ancestors that does not exist yet (what {@link #claim} will create), or null
     * if {@code dir} exists.
     */
    static Path firstMissing(Path dir) {
        Path p = dir.toAbsolutePath().normalize();
        if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        while (p.getParent() != null && !Files.exists(p.getParent(), LinkOption.NOFOLLOW_LINKS)) {
            p = p.getParent();
        }
        return p;
    }

    /**
     * Undoes {@link #claim}'s directories after a run that failed before saving anything: deletes {@code dir} if it
     * holds nothing but the lock file, then its ancestors up to {@code top} while they are empty. Anything else found
     * there is kept, and so is the directory holding it.
     */
    static void removeIfUnused(Path dir, Path top) {
        Path p = dir.toAbsolutePath().normalize();
        try {
            try (Stream<Path> files = Files.list(p)) {
                if (!files.allMatch(f -> f.getFileName().toString().equals(RunLock.FILE))) {
                    return;
                }
            }
            Files.deleteIfExists(p.resolve(RunLock.FILE));
            for (Path q = p; q != null && q.startsWith(top); q = q.getParent()) {
                Files.delete(q); // fails, and stops, on a directory that is not empty
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("left {} in place: {}", p, e.toString());
        }
    }

    private static void checkNew(Path dir) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new UsageException("option --save " + dir + ": expected a directory, found a file");
        }
        Path abs = dir.toAbsolutePath().normalize();
        for (Path d = real(abs).getParent(); d != null; d = d.getParent()) {
            if (isRunDirectory(d)) { // a run saved inside another's files could be taken for, or replace, them
                throw new UsageException("option --save " + dir + ": the directory would be inside " + d
                        + ", a saved model or run directory; save outside that directory");
            }
        }
        List<String> found = new ArrayList<>();
        for (String name : RUN_FILES) {
            Path p = dir.resolve(name);
            if (name.equals(CHECKPOINT) && isUncommittedCheckpoint(dir)) {
                continue; // holds nothing committed: cleared once this run holds the directory
            }
            if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                found.add(Files.isDirectory(p) ? name + "/" : name);
            }
        }
        if (found.isEmpty()) {
            return;
        }
        String what = String.join(", ", found);
        if (Files.exists(checkpoint(dir).resolve(ModelStore.MANIFEST_FILE))) {
            String busy = RunLock.holderMessage(dir); // then --resume would be refused too
            throw new UsageException("option --save " + dir + ": " + (busy != null
                    ? busy + ", or save into another directory"
                    : "the directory already holds a saved run; continue it with --resume " + dir
                            + ", or save into another directory (it holds " + what + ")"));
        }
        if (found.equals(List.of(LAST_FINITE + "/"))) {
            throw new UsageException("option --save " + dir + ": the directory already holds a run that diverged ("
                    + LAST_FINITE + "/, its last finite weights); save into another directory, or move "
                    + lastFinite(dir) + " away first");
        }
        throw new UsageException("option --save " + dir + ": the directory already holds " + (Files.exists(
                dir.resolve(ModelStore.MANIFEST_FILE)) ? "a saved model (" + what + ")" : what) + "; save into "
                + "another directory, or move " + (found.size() == 1 ? "it" : "them") + " away first");
    }

    /**
     * Refuses an output file of a run ({@code --metrics}, {@code --plot}, {@code --out}) that lies inside a saved
     * model or run directory, or inside a directory this run saves into or resumes from: writing it there could
     * replace a model's file, or be replaced by one. Other existing files may be overwritten, as any -o does.
     *
     * @param option  the option that named the file, for the message
     * @param saveDir the run's {@code --save} directory (or the resumed one it saves into), or null
     * @param resumed the run's {@code --resume} directory, or null
     * @throws UsageException naming the file and the directory
     */
    static void checkOutput(Path file, String option, Path saveDir, Path resumed) {
        Path abs = file.toAbsolutePath().normalize();
        Path real = realTarget(abs);
        if (real == null) {
            return; // not a file name; the writer reports it
        }
        if (Files.exists(abs) && !Files.isRegularFile(abs)) {
            // a device, FIFO or directory: the temporary file's rename would replace it with a regular file
            throw new UsageException("option " + option + " " + file + ": expected a regular file, found "
                    + (Files.isDirectory(abs) ? "a directory" : "a device, FIFO or socket") + "; name a file");
        }
        if (saveDir != null && inside(real, saveDir)) {
            throw new UsageException("option " + option + " " + file + ": the file would be inside " + saveDir
                    + ", the directory this run saves into; write it outside that directory");
        }
        if (resumed != null && inside(real, resumed)) {
            throw new UsageException("option " + option + " " + file + ": the file would be inside " + resumed
                    + ", the run this run resumes; write it outside that directory");
        }
        for (Path d = real.getParent(); d != null; d = d.getParent()) {
            if (isRunDirectory(d)) {
                throw new UsageException("option " + option + " " + file + ": the file would be inside " + d
                        + ", a saved model or run directory; write it outside that directory");
            }
            if (RunLock.holderMessage(d) != null) { // a run saving into it has not written its first checkpoint yet
                throw new UsageException("option " + option + " " + file + ": the file would be inside " + d
                        + ", the directory a running nnj run saves into; write it outside that directory");
            }
        }
    }

    /**
     * Refuses an output file inside the run's data directory, where it could replace one of the data files.
     *
     * @param dataDir the run's {@code --data-dir}, or null
     * @throws UsageException naming the file and the directory
     */
    static void checkOutsideData(Path file, String option, Path dataDir) {
        Path real = dataDir == null ? null : realTarget(file.toAbsolutePath().normalize());
        if (real != null && inside(real, dataDir)) {
            throw new UsageException("option " + option + " " + file + ": the file would be inside " + dataDir
                    + ", the run's data directory; write it outside that directory");
        }
    }

    /**
     * True if {@code dir/checkpoint} is a directory without a manifest holding nothing but the pending
     * ({@code *.new}) and temporary ({@code .*.tmp}) files of a first checkpoint that was never committed: a run
     * killed, or out of disk space, while saving it. Nothing in it is ever read.
     */
    static boolean isUncommittedCheckpoint(Path dir) {
        Path cp = checkpoint(dir);
        if (!Files.isDirectory(cp, LinkOption.NOFOLLOW_LINKS) || Files.exists(cp.resolve(ModelStore.MANIFEST_FILE))) {
            return false;
        }
        try (var files = Files.list(cp)) {
            return files.allMatch(f -> {
                String n = f.getFileName().toString();
                return Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)
                        && (n.endsWith(".new") || n.startsWith(".") && n.endsWith(".tmp"));
            });
        } catch (IOException e) {
            return false;
        }
    }

    /** Deletes an {@link #isUncommittedCheckpoint uncommitted} checkpoint of a directory this run holds. */
    private static void clearUncommittedCheckpoint(Path dir) throws IOException {
        if (!isUncommittedCheckpoint(dir)) {
            return;
        }
        Path cp = checkpoint(dir);
        try (var files = Files.list(cp)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.deleteIfExists(f);
            }
        }
        Files.deleteIfExists(cp);
        LOG.info("cleared {}: it held only the pending files of a first checkpoint that was never completed", cp);
    }

    /** A model directory, or a run directory holding one as its checkpoint or last-finite weights. */
    static boolean isRunDirectory(Path d) {
        return isModelDirectory(d) || isModelDirectory(checkpoint(d)) || isModelDirectory(lastFinite(d));
    }

    /**
     * A directory {@code ModelStore} wrote: {@code network.json} with {@code manifest.json} or with
     * {@code weights.safetensors}. Not {@code network.json} alone, as spec files may have that name.
     */
    private static boolean isModelDirectory(Path d) {
        return Files.isRegularFile(d.resolve(ModelStore.NETWORK_FILE))
                && (Files.exists(d.resolve(ModelStore.MANIFEST_FILE))
                || Files.exists(d.resolve(ModelStore.WEIGHTS_FILE)));
    }

    /** The file {@code abs} names with its directory's real path, or null if it names no file (the root). */
    private static Path realTarget(Path abs) {
        return abs.getParent() == null || abs.getFileName() == null ? null
                : real(abs.getParent()).resolve(abs.getFileName());
    }

    /** True if the real path {@code real} lies inside {@code dir} (links in {@code dir} followed). */
    private static boolean inside(Path real, Path dir) {
        return real.startsWith(real(dir.toAbsolutePath().normalize()));
    }

    /** The path with its longest existing prefix resolved to its real path (symbolic links followed). */
    private static Path real(Path abs) {
        Path existing = abs;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return abs;
        }
        try {
            return existing.toRealPath().resolve(existing.relativize(abs));
        } catch (IOException e) {
            return abs;
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
            String busy = RunLock.holderMessage(dir);
            if (busy != null) {
                throw new DataFormatException("--resume " + dir + ": the run in it has not saved its first "
                        + "checkpoint yet: " + busy);
            }
            Path parent = dir.toAbsolutePath().normalize().getParent();
            if (parent != null && dir.toAbsolutePath().normalize().equals(checkpoint(parent))
                    && Files.exists(dir.resolve(ModelStore.MANIFEST_FILE))) {
                throw new DataFormatException("--resume " + dir + ": that is a run's checkpoint; resume the run "
                        + "directory instead: --resume " + parent);
            }
            throw new DataFormatException("--resume " + dir + ": expected a run saved by train --save (with "
                    + cp.resolve(ModelStore.MANIFEST_FILE) + "), found " + (!Files.exists(dir) ? "no such directory"
                    : !Files.isDirectory(dir) ? "a file"
                    : isUncommittedCheckpoint(dir) ? "no completed checkpoint (" + cp + " holds only the pending "
                            + "files of a first save that was interrupted); start the run afresh with --save " + dir
                    : Files.isDirectory(cp) ? cp + " without its " + ModelStore.MANIFEST_FILE + " (a checkpoint "
                            + "that was never completed, or damaged)"
                    : Files.exists(dir.resolve(ModelStore.MANIFEST_FILE)) ? "a model without a checkpoint"
                    : "no checkpoint"));
        }
        return cp;
    }

    /**
     * Removes the {@code last-finite/} model of an earlier attempt of this run that diverged, once the run has saved
     * a final model that supersedes it: the manifest first (so that a crash leaves no model that looks whole), then
     * the model's files, then the directory if nothing else is in it.
     *
     * @return true if {@code dir/last-finite} held a model and it was removed
     * @throws IOException if a file cannot be deleted
     */
    static boolean removeSupersededLastFinite(Path dir) throws IOException {
        Path lf = lastFinite(dir);
        if (!isModelDirectory(lf)) {
            return false;
        }
        Files.deleteIfExists(lf.resolve(ModelStore.MANIFEST_FILE));
        for (String f : List.of(ModelStore.NETWORK_FILE, ModelStore.WEIGHTS_FILE)) {
            Files.deleteIfExists(lf.resolve(f));
        }
        try (var rest = Files.list(lf)) {
            if (rest.findAny().isEmpty()) {
                Files.delete(lf);
            }
        }
        return true;
    }

    /** True if both name the same path, or the same existing file (through links too). */
    static boolean same(Path a, Path b) {
        if (a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize())) {
            return true;
        }
        try {
            return Files.exists(a) && Files.exists(b) && Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }
}
