package org.nnj.examples;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Writes a whole file through a temporary file beside it, moved into place atomically where the file system can. */
final class AtomicFile {
    private AtomicFile() {
    }

    /**
     * Creates an empty {@code .<name>.<pid>.<random>.tmp} beside {@code target}. Not {@link Files#createTempFile},
     * whose files are private (rw-------): what nnj writes for its user (metrics, CSV, charts) gets the permissions of
     * any new file, the umask's.
     */
    static Path createTemp(Path target) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path temp = target.resolveSibling("." + target.getFileName() + "." + ProcessHandle.current().pid() + "."
                    + Long.toUnsignedString(java.util.concurrent.ThreadLocalRandom.current().nextLong(), 36) + ".tmp");
            try {
                return Files.createFile(temp);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                if (attempt == 100) {
                    throw e;
                }
            }
        }
    }

    /**
     * @param option the command-line option that named the file, for the error message
     * @throws IOException if the directory does not exist or the file cannot be written
     */
    static void write(Path target, String text, String option) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new IOException(option + " " + target + ": expected an existing directory " + dir + ", found none");
        }
        Path temp = createTemp(abs);
        try {
            Files.writeString(temp, text, StandardCharsets.UTF_8);
            try {
                Files.move(temp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
