package org.nnj.examples;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes a whole file through a temporary file beside it, moved into place atomically where the file system can.
 *
 * <p>A temporary file is {@code .<name>.<pid>.<random>.tmp}. Those still open when the JVM is stopped by a signal
 * (Ctrl-C, {@code kill}) are deleted by a shutdown hook; those of a process that was killed outright ({@code kill -9},
 * a power cut) are deleted the next time a file of the same name is written, once their process is gone.
 */
final class AtomicFile {
    /** Temporary files made and not yet moved into place or discarded. */
    private static final Set<Path> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Thread hook = new Thread(() -> LIVE.forEach(AtomicFile::deleteQuietly), "nnj-temp-files");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    private AtomicFile() {
    }

    /**
     * Creates an empty {@code .<name>.<pid>.<random>.tmp} beside {@code target}, first deleting any that a process no
     * longer running left there. Not {@link Files#createTempFile}, whose files are private (rw-------): what nnj writes
     * for its user (metrics, CSV, charts) gets the permissions of any new file, the umask's. Pass the result to
     * {@link #release} when done with it.
     */
    static Path createTemp(Path target) throws IOException {
        sweepOrphans(target);
        for (int attempt = 0; ; attempt++) {
            Path temp = target.resolveSibling("." + target.getFileName() + "." + ProcessHandle.current().pid() + "."
                    + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + ".tmp");
            try {
                Path made = Files.createFile(temp);
                LIVE.add(made);
                return made;
            } catch (FileAlreadyExistsException e) {
                if (attempt == 100) {
                    throw e;
                }
            }
        }
    }

    /** Deletes {@code temp} if it is still there (it is not, once moved into place) and forgets it. */
    static void release(Path temp) throws IOException {
        try {
            Files.deleteIfExists(temp);
        } finally {
            LIVE.remove(temp);
        }
    }

    /**
     * Checks, before any work is done, that a file can be made beside {@code target}: makes a temporary file there
     * and deletes it.
     *
     * @param option the command-line option that named the file, for the error message
     * @throws IOException naming the option, the file and the operating system's reason, if no file can be made
     */
    static void checkWritable(Path target, String option) throws IOException {
        Path abs = target.toAbsolutePath().normalize();
        try {
            release(createTemp(abs));
        } catch (IOException e) {
            throw cannotWrite(option, target, abs.getParent(), e);
        }
    }

    /** {@code OPTION TARGET: cannot write in DIR (the operating system's reason)}, caused by {@code e}. */
    static IOException cannotWrite(String option, Path target, Path dir, IOException e) {
        return new IOException(option + " " + target + ": cannot write in " + dir + " (" + reason(e) + ")", e);
    }

    /**
     * @param option the command-line option that named the file, for the error message
     * @throws IOException if the directory does not exist or the file cannot be written, naming {@code target} (not
     *                     the temporary file)
     */
    static void write(Path target, String text, String option) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new IOException(option + " " + target + ": expected an existing directory " + dir + ", found none");
        }
        Path temp = null;
        try {
            temp = createTemp(abs);
            Files.writeString(temp, text, StandardCharsets.UTF_8);
            moveIntoPlace(temp, abs);
        } catch (IOException e) {
            throw cannotWrite(option, target, dir, e);
        } finally {
            if (temp != null) {
                release(temp);
            }
        }
    }

    /** Moves {@code temp} over {@code target}, atomically where the file system can. */
    static void moveIntoPlace(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Why a file could not be made, in words: "access denied", "no such file", "Read-only file system". */
    static String reason(IOException e) {
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        if (e instanceof FileSystemException) {
            return e.getClass().getSimpleName().replace("Exception", "").replaceAll("([a-z])([A-Z])", "$1 $2")
                    .toLowerCase(Locale.ROOT);
        }
        return Main.oneLine(e);
    }

    /** Deletes the temporary files of {@code target} whose process has ended (killed before it could clean up). */
    private static void sweepOrphans(Path target) {
        Path dir = target.getParent();
        String prefix = "." + target.getFileName() + ".";
        if (dir == null) {
            return;
        }
        DirectoryStream.Filter<Path> candidates = p -> {
            String name = p.getFileName().toString();
            return name.startsWith(prefix) && name.endsWith(".tmp");
        };
        try (DirectoryStream<Path> siblings = Files.newDirectoryStream(dir, candidates)) {
            for (Path s : siblings) {
                String rest = s.getFileName().toString().substring(prefix.length()); // PID.RANDOM.tmp if ours
                if (rest.matches("\\d{1,18}\\.[0-9a-z]+\\.tmp")
                        && ProcessHandle.of(Long.parseLong(rest.substring(0, rest.indexOf('.')))).isEmpty()) {
                    deleteQuietly(s);
                }
            }
        } catch (IOException | RuntimeException e) {
            // a directory that cannot be listed: making the temporary file will say why, if it cannot be made either
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // nothing more can be done while the JVM stops, or for another process's leftovers
        }
    }
}
