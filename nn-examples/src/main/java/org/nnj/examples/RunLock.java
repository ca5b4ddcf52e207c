package org.nnj.examples;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The exclusive claim of one nnj run on a run directory: an OS file lock ({@link FileChannel#tryLock()}) on
 * {@code DIR/}{@value #FILE}, held from before the run reads or writes the directory until it ends. A second run that
 * wants the directory is refused at once, naming the first one's process id (which the holder writes into the file).
 * The OS drops the lock when the process ends in any way, killed too, so a crash never leaves the directory locked.
 *
 * <p>The file itself stays (an empty-looking hidden file with the last holder's pid): deleting it while others may
 * have it open would let two runs each lock a different file of the same name. Nothing reads it but this class; a
 * directory holding only it is empty for {@link RunDir}.
 *
 * <p>POSIX record locks belong to the process, and closing any channel of the file releases them all; so this JVM
 * never opens a second channel on a lock file it holds: the lock files it holds are kept in {@link #HELD}, and a second
 * claim from the same JVM is refused from there.
 */
final class RunLock implements AutoCloseable {
    /** The lock file's name in the run directory. */
    static final String FILE = ".nnj.lock";
    private static final Logger log = LoggerFactory.getLogger(RunLock.class);
    /** The lock files this JVM holds, by real path. */
    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;
    private boolean closed;

    private RunLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Claims the existing directory {@code dir}.
     *
     * @throws IOException naming the directory if another run (of this process or another) holds it, or if the lock
     *                     file cannot be created or locked
     */
    static RunLock acquire(Path dir) throws IOException {
        Path file = dir.toRealPath().resolve(FILE);
        if (!HELD.add(file)) {
            throw inUse(dir, ProcessHandle.current().pid());
        }
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // held through another channel of this JVM, not through this class
            }
            if (lock == null) {
                channel.close(); // this process holds no lock on the file: closing releases nothing
                channel = null;
                throw inUse(dir, holder(file));
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)),
                    0);
            log.debug("locked {}", file);
            return new RunLock(file, channel, lock);
        } catch (IOException | RuntimeException e) {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException x) {
                    e.addSuppressed(x);
                }
            }
            HELD.remove(file);
            if (e instanceof InUseException) {
                throw e;
            }
            throw new IOException(dir + ": cannot lock " + FILE + " against other nnj runs ("
                    + (e instanceof IOException io ? AtomicFile.reason(io) : Main.oneLine(e)) + ")", e);
        }
    }

    /**
     * Claims {@code dir} for reading, if it can be claimed at all: a directory that this user cannot write into (a
     * shared, read-only run) is read without a lock, as no nnj run of this user can be saving into it.
     *
     * @return the lock, or null if the directory cannot hold a lock file
     * @throws IOException naming the directory if another run holds it
     */
    static RunLock acquireForReading(Path dir) throws IOException {
        try {
            return acquire(dir);
        } catch (InUseException e) {
            throw e;
        } catch (IOException e) {
            Throwable cause = e.getCause();
            if (cause instanceof AccessDeniedException || cause instanceof FileSystemException fse
                    && String.valueOf(fse.getReason()).contains("Read-only")) {
                log.debug("reading {} without a lock: {}", dir, cause.toString());
                return null;
            }
            throw e;
        }
    }

    /**
     * The message of the {@link InUseException} {@link #acquire} would throw for {@code dir} now, or null if no run
     * holds it. Creates nothing: a directory without a lock file is free.
     */
    static String holderMessage(Path dir) {
        Path file;
        try {
            file = dir.toRealPath().resolve(FILE);
        } catch (IOException e) {
            return null;
        }
        if (HELD.contains(file)) {
            return inUse(dir, ProcessHandle.current().pid()).getMessage();
        }
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            FileLock probe = channel.tryLock(0, Long.MAX_VALUE, true); // shared: conflicts only with a holder
            if (probe == null) {
                return inUse(dir, holder(file)).getMessage();
            }
            probe.release();
            return null;
        } catch (IOException | OverlappingFileLockException e) {
            return null; // unreadable: acquire reports it if this run needs the directory
        }
    }

    /** The pid the holder wrote, or -1. Only read when this process holds no lock on the file. */
    private static long holder(Path file) {
        try {
            return Long.parseLong(Files.readString(file, StandardCharsets.US_ASCII).trim());
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    private static InUseException inUse(Path dir, long pid) {
        return new InUseException(dir + " is in use by another nnj run" + (pid > 0 ? " (pid " + pid + ")" : "")
                + "; wait for it to finish");
    }

    /** Releases the lock; the file stays. Closing again does nothing. */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            lock.release();
        } finally {
            try {
                channel.close();
            } finally {
                HELD.remove(file);
                log.debug("unlocked {}", file);
            }
        }
    }

    /** Another run holds the directory. */
    static final class InUseException extends IOException {
        private static final long serialVersionUID = 1L;

        InUseException(String message) {
            super(message);
        }
    }
}
