package org.nnj.examples;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.nnj.core.EpochMetrics;

/**
 * Writes one JSON line per epoch into a temporary file beside the target and moves it over the target only on
 * {@link #commit()}: a run that fails never leaves a half-written file, nor clobbers an existing one.
 */
final class MetricsFile implements AutoCloseable {
    private final Path target;
    private final Path temp;
    private final BufferedWriter writer;
    private boolean committed;

    /** @throws IOException if the target's directory does not exist or is not writable */
    MetricsFile(Path target) throws IOException {
        this.target = target.toAbsolutePath().normalize();
        Path dir = this.target.getParent();
        if (target.toString().isEmpty() || dir == null || Files.isDirectory(this.target)) {
            throw new IOException("--metrics '" + target + "': expected a file name, found "
                    + (target.toString().isEmpty() ? "nothing" : "a directory"));
        }
        if (!Files.isDirectory(dir)) {
            throw new IOException("--metrics " + target + ": expected an existing directory " + dir + ", found "
                    + (Files.exists(dir) ? "a file" : "nothing"));
        }
        try {
            this.temp = AtomicFile.createTemp(this.target);
        } catch (IOException e) {
            throw AtomicFile.cannotWrite("--metrics", target, dir, e);
        }
        this.writer = Files.newBufferedWriter(temp, StandardCharsets.UTF_8);
    }

    /** Appends one epoch's line and flushes it, so that the temporary file shows progress. */
    void append(EpochMetrics m) throws IOException {
        writer.write(m.toJson());
        writer.write('\n');
        writer.flush();
    }

    /** Closes the file and moves it into place, atomically where the file system can. */
    void commit() throws IOException {
        writer.close();
        AtomicFile.moveIntoPlace(temp, target);
        AtomicFile.release(temp);
        committed = true;
    }

    /** Without a commit: discards the temporary file and leaves the target as it was. */
    @Override
    public void close() throws IOException {
        if (!committed) {
            try {
                writer.close();
            } finally {
                AtomicFile.release(temp);
            }
        }
    }
}
