package org.nnj.data.mnist.download;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.nnj.api.DataFormatException;
import org.nnj.api.NnjException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Downloads the official files of {@code mnist} or {@code fashion-mnist} into a directory, only when asked: nothing in
 * nnj touches the network unless a user sets {@code download=true} on the data set (or calls this class).
 *
 * <p>For each file of the {@link DatasetSource}:
 * <ol>
 *   <li>A {@code <file>.part} left behind by an earlier crash is deleted; nothing half-written is ever resumed.</li>
 *   <li>A file already present with the right SHA-256 is kept and not fetched again; one with another checksum is
 *       replaced (only once a good copy has arrived).</li>
 *   <li>The mirrors are tried in order. Each transfer goes to {@code <file>.part} in the target directory, hashed as
 *       it arrives; it fails on an HTTP status other than 200, a connect or read timeout, a body longer or shorter
 *       than the published size, or a wrong SHA-256, and the next mirror is tried.</li>
 *   <li>A good transfer is flushed to disk ({@code fsync}), atomically renamed to its final name, and the directory
 *       is flushed, so the final name only ever holds a complete, verified file.</li>
 * </ol>
 * If every mirror fails, a {@link DataFormatException} names the file and each mirror tried with its reason, on one
 * line. Redirects are followed (except from https to http).
 *
 * <pre>{@code
 * Path dir = Path.of("data/mnist");
 * MnistDownloader.official().download("mnist", dir);   // then MnistLoader.fromDirectory(dir)
 * }</pre>
 *
 * <p>Thread-safe, but one download per directory at a time. Stability: evolving.
 */
public final class MnistDownloader {
    /** The name of the data-set setting that allows a download ({@code download=true}). */
    public static final String DOWNLOAD_SETTING = "download";
    /** Suffix of the temporary file a transfer writes to. */
    public static final String PART_SUFFIX = ".part";

    private static final Logger log = LoggerFactory.getLogger(MnistDownloader.class);
    private static final long POLL_MILLIS = 50;

    private final HttpClient client;
    private final Duration readTimeout;
    private final Map<String, DatasetSource> sources;

    private MnistDownloader(Builder b) {
        this.client = HttpClient.newBuilder()
                .connectTimeout(b.connectTimeout)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
        this.readTimeout = b.readTimeout;
        this.sources = Map.copyOf(b.sources);
    }

    /** A downloader of the official sources with default timeouts (connect 30 s, no data for 60 s). */
    public static MnistDownloader official() {
        return builder().build();
    }

    /** A builder, starting from the official sources and default timeouts. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Where {@code download=true} puts a data set when no {@code dir} is given: {@code ~/.nnj/datasets/<dataset>}.
     */
    public static Path defaultDirectory(String dataset) {
        return Path.of(System.getProperty("user.home"), ".nnj", "datasets", dataset.toLowerCase(Locale.ROOT));
    }

    /** The source this downloader uses for {@code dataset}. @throws IllegalArgumentException if there is none */
    public DatasetSource source(String dataset) {
        DatasetSource s = sources.get(dataset.toLowerCase(Locale.ROOT));
        if (s == null) {
            throw new IllegalArgumentException("no download source for data set '" + dataset + "', known: "
                    + String.join(", ", new java.util.TreeSet<>(sources.keySet())));
        }
        return s;
    }

    /**
     * Makes sure every file of {@code dataset} is in {@code dir} with the right checksum, fetching what is missing.
     *
     * @return the files' paths, in the source's order
     * @throws IllegalArgumentException if this downloader knows no source for {@code dataset}
     * @throws DataFormatException      naming the file and the mirrors tried if no mirror delivers a good copy
     * @throws NnjException             naming the path if the directory cannot be created or written
     */
    public List<Path> download(String dataset, Path dir) {
        return download(source(dataset), dir);
    }

    /** As {@link #download(String, Path)}, for an explicit source. */
    public List<Path> download(DatasetSource source, Path dir) {
        checkNotNull(source, "source");
        checkNotNull(dir, "dir");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new NnjException(dir + ": cannot create the download directory (" + e + ")", e);
        }
        List<Path> paths = new ArrayList<>();
        for (RemoteFile f : source.files()) {
            paths.add(fetch(source, f, dir));
        }
        return paths;
    }

    private Path fetch(DatasetSource source, RemoteFile file, Path dir) {
        Path target = dir.resolve(file.name());
        Path part = dir.resolve(file.name() + PART_SUFFIX);
        try {
            if (Files.deleteIfExists(part)) {
                log.warn("deleted {}, left by an interrupted download", part);
            }
            if (Files.isRegularFile(target)) {
                String have = sha256(target);
                if (have.equals(file.sha256())) {
                    log.debug("{} is present with the expected SHA-256, not downloading it", target);
                    return target;
                }
                log.warn("{} has SHA-256 {}, expected {}: downloading it again", target, have, file.sha256());
            }
        } catch (IOException e) {
            throw new NnjException(target + ": cannot inspect the download directory (" + e + ")", e);
        }
        List<String> failures = new ArrayList<>();
        for (URI mirror : source.mirrors()) {
            URI uri = mirror.resolve(file.name());
            log.info("downloading {} from {}", file.name(), uri);
            try {
                transfer(uri, file, part);
                commit(part, target);
                log.info("downloaded {} ({} bytes, SHA-256 verified)", target, file.size());
                return target;
            } catch (MirrorFailure e) {
                log.warn("{}: {}", uri, e.getMessage());
                failures.add(uri + " (" + e.getMessage() + ")");
            } finally {
                deleteQuietly(part);
            }
        }
        throw new DataFormatException(target + ": could not download " + file.name() + " from any of "
                + failures.size() + " mirror(s): " + String.join("; ", failures));
    }

    /** Fetches {@code uri} into {@code part}, verified and flushed, or throws MirrorFailure. */
    private void transfer(URI uri, RemoteFile file, Path part) throws MirrorFailure {
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(readTimeout)
                .header("User-Agent", "nnj")
                .GET()
                .build();
        MessageDigest digest = newSha256();
        try (FileChannel channel = FileChannel.open(part, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            FileBodySubscriber body = new FileBodySubscriber(channel, digest, file.size());
            CompletableFuture<HttpResponse<Long>> response = client.sendAsync(request,
                    info -> info.statusCode() == 200 ? body : HttpResponse.BodySubscribers.replacing(-1L));
            HttpResponse<Long> r = await(response, body);
            if (r.statusCode() != 200) {
                throw new MirrorFailure("HTTP " + r.statusCode());
            }
            long size = r.body();
            if (size != file.size()) {
                throw new MirrorFailure("got " + size + " bytes, expected " + file.size());
            }
            String got = HexFormat.of().formatHex(digest.digest());
            if (!got.equals(file.sha256())) {
                throw new MirrorFailure("SHA-256 " + got + ", expected " + file.sha256());
            }
            channel.force(true);
        } catch (IOException e) {
            throw new MirrorFailure(describe(e));
        }
    }

    private HttpResponse<Long> await(CompletableFuture<HttpResponse<Long>> response, FileBodySubscriber body)
            throws MirrorFailure {
        long limit = readTimeout.toNanos();
        while (true) {
            try {
                return response.get(POLL_MILLIS, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                if (body.idleNanos() > limit) {
                    String why = "no data for " + readTimeout.toMillis() + " ms";
                    body.cancel(new IOException(why));
                    response.cancel(true);
                    throw new MirrorFailure(why);
                }
            } catch (InterruptedException e) {
                response.cancel(true);
                body.cancel(new IOException("interrupted"));
                Thread.currentThread().interrupt();
                throw new NnjException("download interrupted", e);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                throw new MirrorFailure(describe(cause));
            }
        }
    }

    private static void commit(Path part, Path target) {
        try {
            try {
                Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new NnjException(target + ": the file system cannot rename atomically (" + e + ")", e);
            }
            try (FileChannel d = FileChannel.open(target.getParent(), StandardOpenOption.READ)) {
                d.force(true);
            } catch (IOException e) {
                // Some platforms cannot open a directory; the rename itself is still atomic.
                log.debug("cannot flush directory {}: {}", target.getParent(), e.toString());
            }
        } catch (IOException e) {
            throw new NnjException(target + ": cannot move the download into place (" + e + ")", e);
        }
    }

    /** The SHA-256 of a file, lower-case hex. */
    static String sha256(Path file) throws IOException {
        MessageDigest digest = newSha256();
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    private static String describe(Throwable t) {
        if (t instanceof java.net.http.HttpTimeoutException) {
            return "timed out";
        }
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + m.replace('\n', ' '));
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            log.warn("cannot delete {}: {}", p, e.toString());
        }
    }

    /** One mirror failed; the next one is tried. */
    private static final class MirrorFailure extends Exception {
        private static final long serialVersionUID = 1L;

        MirrorFailure(String message) {
            super(message, null, false, false);
        }
    }

    /** Configures a {@link MnistDownloader}. Not thread-safe. */
    public static final class Builder {
        private Duration connectTimeout = Duration.ofSeconds(30);
        private Duration readTimeout = Duration.ofSeconds(60);
        private final Map<String, DatasetSource> sources = new LinkedHashMap<>();

        private Builder() {
            source(DatasetSource.MNIST);
            source(DatasetSource.FASHION_MNIST);
        }

        /** How long to wait for a connection (default 30 s). */
        public Builder connectTimeout(Duration timeout) {
            checkArgument(timeout != null && !timeout.isNegative() && !timeout.isZero(), "timeout must be positive");
            connectTimeout = timeout;
            return this;
        }

        /** How long a transfer may go without receiving data, headers included (default 60 s). */
        public Builder readTimeout(Duration timeout) {
            checkArgument(timeout != null && !timeout.isNegative() && !timeout.isZero(), "timeout must be positive");
            readTimeout = timeout;
            return this;
        }

        /** Uses {@code source} for its data set, replacing the official one of that name (an internal mirror). */
        public Builder source(DatasetSource source) {
            sources.put(source.dataset().toLowerCase(Locale.ROOT), source);
            return this;
        }

        /** The downloader. */
        public MnistDownloader build() {
            return new MnistDownloader(this);
        }
    }
}
