package org.nnj.core.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.nnj.api.DataFormatException;
import org.nnj.api.NnjException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Crash-safe writes and bounded reads. A write goes to a temporary file in the target's directory, is flushed to the
 * device ({@link FileChannel#force}), and is renamed over the target atomically; then the directory is flushed too,
 * so that after a crash the target holds either its old or its new content, never a part.
 */
final class AtomicFiles {
    private static final Logger log = LoggerFactory.getLogger(AtomicFiles.class);

    /** Writes the content of one file. */
    @FunctionalInterface
    interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    private AtomicFiles() {
    }

    /** Writes {@code bytes} to {@code file} atomically; returns their SHA-256 in hex. */
    static String write(Path file, byte[] bytes) {
        return write(file, out -> out.write(bytes));
    }

    /**
     * Creates an empty {@code .<name>.<random>.tmp} beside {@code target}. Not {@link Files#createTempFile}, whose
     * files are private (rw-------): a saved model gets the permissions of any new file (the umask's), like the files
     * PyTorch's {@code torch.save} writes.
     */
    static Path createTemp(Path target) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path tmp = target.resolveSibling("." + target.getFileName() + "."
                    + Long.toUnsignedString(java.util.concurrent.ThreadLocalRandom.current().nextLong()) + ".tmp");
            try {
                return Files.createFile(tmp);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                if (attempt == 100) {
                    throw e;
                }
            }
        }
    }

    /**
     * Writes {@code content} to {@code file} atomically.
     *
     * @return the SHA-256 of what was written, in lower-case hex
     * @throws NnjException naming the file if it cannot be written
     */
    static String write(Path file, Content content) {
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = createTemp(target);
            MessageDigest sha = sha256();
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                OutputStream raw = Channels.newOutputStream(ch);
                OutputStream out = new DigestOutputStream(new BufferedOutputStream(raw, 1 << 16), sha);
                content.writeTo(out);
                out.flush();
                ch.force(true);
            }
            move(tmp, target);
            tmp = null;
            syncDirectory(dir);
            return HexFormat.of().formatHex(sha.digest());
        } catch (IOException e) {
            throw new NnjException("cannot write " + file + ": " + IoErrors.describe(e), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException e) {
                    log.warn("cannot delete temporary file {}: {}", tmp, e.toString());
                }
            }
        }
    }

    /** Renames {@code from} over {@code to} atomically (same directory). */
    static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the file system of " + to + " cannot rename atomically", e);
        }
    }

    /** Flushes a directory's entries (new names) to the device, where the platform allows it. */
    static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UncheckedIOException e) {
            log.debug("cannot flush directory {} ({}); relying on the file system", dir, e.toString());
        }
    }

    /**
     * Reads a whole file of at most {@code maxBytes}, checking the size before allocating.
     *
     * @throws DataFormatException naming the file if it is missing, unreadable or too large
     */
    static byte[] readAll(Path file, long maxBytes) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size > maxBytes) {
                throw new DataFormatException(file + ": expected at most " + maxBytes + " bytes, found " + size);
            }
            ByteBuffer buf = ByteBuffer.allocate((int) size);
            while (buf.hasRemaining()) {
                if (ch.read(buf) < 0) {
                    throw new DataFormatException(file + ": expected " + size + " bytes, the file ended after "
                            + buf.position());
                }
            }
            return buf.array();
        } catch (NoSuchFileException e) {
            throw new DataFormatException(file + ": missing file", e);
        } catch (IOException e) {
            throw new DataFormatException(file + ": cannot read: " + e, e);
        }
    }

    /** Strict UTF-8 decoding. */
    static String utf8(byte[] bytes, String source) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new DataFormatException(source + ": expected UTF-8 text, found malformed bytes", e);
        }
    }

    /** The SHA-256 of a file in lower-case hex. @throws DataFormatException naming the file if it is missing */
    static String sha256(Path file) {
        MessageDigest sha = sha256();
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                sha.update(buf, 0, n);
            }
        } catch (NoSuchFileException e) {
            throw new DataFormatException(file + ": missing file", e);
        } catch (IOException e) {
            throw new DataFormatException(file + ": cannot read: " + e, e);
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }
}
