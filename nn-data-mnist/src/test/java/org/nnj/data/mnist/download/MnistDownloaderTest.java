package org.nnj.data.mnist.download;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nnj.data.mnist.download.LoopbackServer.Behaviour.NOT_FOUND;
import static org.nnj.data.mnist.download.LoopbackServer.Behaviour.REDIRECT_TO_B;
import static org.nnj.data.mnist.download.LoopbackServer.Behaviour.SERVE;
import static org.nnj.data.mnist.download.LoopbackServer.Behaviour.STALL;
import static org.nnj.data.mnist.download.LoopbackServer.Behaviour.TRUNCATE;
import static org.nnj.data.mnist.download.LoopbackServer.Behaviour.WRONG_BYTES;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nnj.api.DataFormatException;

/** The downloader against a server on the loopback address; no test touches a remote host. */
class MnistDownloaderTest {
    private static final String IMAGES = "train-images-idx3-ubyte.gz";
    private static final String LABELS = "train-labels-idx1-ubyte.gz";

    @TempDir
    Path dir;

    private LoopbackServer server;
    private final byte[] images = bytes(1, 5000);
    private final byte[] labels = bytes(2, 300);

    @BeforeEach
    void start() throws IOException {
        server = new LoopbackServer().file(IMAGES, images).file(LABELS, labels);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static byte[] bytes(long seed, int n) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static String sha256(byte[] content) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    }

    private DatasetSource source(String... mirrors) throws Exception {
        return new DatasetSource("fake", Stream.of(mirrors).map(server::mirror).toList(),
                List.of(new RemoteFile(IMAGES, images.length, sha256(images)),
                        new RemoteFile(LABELS, labels.length, sha256(labels))));
    }

    private static MnistDownloader downloader() {
        return MnistDownloader.builder().connectTimeout(Duration.ofSeconds(5)).readTimeout(Duration.ofSeconds(5))
                .build();
    }

    private void assertDownloaded() throws IOException {
        assertArrayEquals(images, Files.readAllBytes(dir.resolve(IMAGES)));
        assertArrayEquals(labels, Files.readAllBytes(dir.resolve(LABELS)));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(IMAGES, LABELS), s.map(p -> p.getFileName().toString()).sorted().toList(),
                    "only the final files remain, no .part file");
        }
    }

    @Test
    void downloadsEveryFileFromTheFirstMirrorAndReturnsThePaths() throws Exception {
        server.behave("a", SERVE);
        List<Path> paths = downloader().download(source("a", "b"), dir);
        assertEquals(List.of(dir.resolve(IMAGES), dir.resolve(LABELS)), paths);
        assertDownloaded();
        assertEquals(List.of("/a/" + IMAGES, "/a/" + LABELS), server.requests());
    }

    @Test
    void createsTheTargetDirectory() throws Exception {
        server.behave("a", SERVE);
        Path nested = dir.resolve("x/y");
        downloader().download(source("a"), nested);
        assertArrayEquals(labels, Files.readAllBytes(nested.resolve(LABELS)));
    }

    @Test
    void aMirrorAnswering404IsSkippedForTheNext() throws Exception {
        server.behave("a", NOT_FOUND).behave("b", SERVE);
        downloader().download(source("a", "b"), dir);
        assertDownloaded();
        assertEquals(1, server.requests().stream().filter(p -> p.equals("/a/" + IMAGES)).count());
        assertEquals(1, server.requests().stream().filter(p -> p.equals("/b/" + IMAGES)).count());
    }

    @Test
    void aWrongChecksumOnTheFirstMirrorFallsBackToTheSecond() throws Exception {
        server.behave("a", WRONG_BYTES).behave("b", SERVE);
        downloader().download(source("a", "b"), dir);
        assertDownloaded();
        assertEquals(2, server.requestsFor(IMAGES));
    }

    @Test
    void whenEveryMirrorFailsOneLineNamesTheFileAndEachMirrorWithItsReason() throws Exception {
        server.behave("a", NOT_FOUND).behave("b", WRONG_BYTES);
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> downloader().download(source("a", "b"), dir));
        String m = e.getMessage();
        assertFalse(m.contains("\n"), m);
        assertTrue(m.startsWith(dir.resolve(IMAGES).toString() + ": could not download " + IMAGES), m);
        assertTrue(m.contains(server.mirror("a").resolve(IMAGES) + " (HTTP 404)"), m);
        assertTrue(m.contains(server.mirror("b").resolve(IMAGES) + " (SHA-256 "), m);
        assertTrue(m.contains("expected " + sha256(images)), m);
        assertFalse(Files.exists(dir.resolve(IMAGES)));
        assertFalse(Files.exists(dir.resolve(IMAGES + MnistDownloader.PART_SUFFIX)));
    }

    @Test
    void anExistingGoodFileIsNotFetchedAgain() throws Exception {
        server.behave("a", SERVE);
        downloader().download(source("a"), dir);
        assertEquals(1, server.requestsFor(IMAGES));
        downloader().download(source("a"), dir);
        assertEquals(1, server.requestsFor(IMAGES));
        assertEquals(1, server.requestsFor(LABELS));
        assertDownloaded();
    }

    @Test
    void anExistingDamagedFileIsReplacedByAGoodCopy() throws Exception {
        Files.write(dir.resolve(IMAGES), new byte[] {1, 2, 3});
        server.behave("a", SERVE);
        downloader().download(source("a"), dir);
        assertDownloaded();
    }

    @Test
    void anExistingDamagedFileStaysUntilAGoodCopyArrives() throws Exception {
        byte[] damaged = {1, 2, 3};
        Files.write(dir.resolve(IMAGES), damaged);
        server.behave("a", WRONG_BYTES);
        assertThrows(DataFormatException.class, () -> downloader().download(source("a"), dir));
        assertArrayEquals(damaged, Files.readAllBytes(dir.resolve(IMAGES)));
    }

    @Test
    void aStalePartFileIsDeletedNotResumed() throws Exception {
        // the first half of the right content: resuming would be tempting, and is not done
        Path part = dir.resolve(IMAGES + MnistDownloader.PART_SUFFIX);
        Files.write(part, java.util.Arrays.copyOf(images, images.length / 2));
        server.behave("a", SERVE);
        downloader().download(source("a"), dir);
        assertDownloaded();
        assertEquals(1, server.requestsFor(IMAGES), "fetched whole, once");
    }

    @Test
    void aStalePartFileIsDeletedEvenWhenTheFileIsAlreadyGood() throws Exception {
        server.behave("a", SERVE);
        downloader().download(source("a"), dir);
        Files.write(dir.resolve(LABELS + MnistDownloader.PART_SUFFIX), new byte[] {9});
        downloader().download(source("a"), dir);
        assertDownloaded();
    }

    @Test
    void aTransferBrokenOffMidBodyLeavesNothingAtTheFinalName() throws Exception {
        server.behave("a", TRUNCATE);
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> downloader().download(source("a"), dir));
        assertTrue(e.getMessage().contains(server.mirror("a").resolve(IMAGES).toString()), e.getMessage());
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(), s.toList(), "neither the file nor a .part file");
        }
    }

    @Test
    void aTransferBrokenOffMidBodyFallsBackToTheNextMirror() throws Exception {
        server.behave("a", TRUNCATE).behave("b", SERVE);
        downloader().download(source("a", "b"), dir);
        assertDownloaded();
    }

    @Test
    void aStalledTransferTimesOutAndTheNextMirrorIsUsed() throws Exception {
        server.behave("a", STALL).behave("b", SERVE);
        MnistDownloader quick = MnistDownloader.builder().readTimeout(Duration.ofMillis(300)).build();
        long start = System.nanoTime();
        quick.download(source("a", "b"), dir);
        assertDownloaded();
        assertTrue(System.nanoTime() - start < 4_000_000_000L, "gave up on the stalled mirror before it woke up");
    }

    @Test
    void redirectsAreFollowed() throws Exception {
        server.behave("a", REDIRECT_TO_B).behave("b", SERVE);
        downloader().download(source("a"), dir);
        assertDownloaded();
        assertTrue(server.requests().contains("/b/" + IMAGES));
    }

    @Test
    void aRefusedConnectionIsAMirrorFailureToo() throws Exception {
        // a port on the loopback address where nothing listens: the server is stopped, its port kept
        URI dead = server.mirror("a");
        server.close();
        DatasetSource s = new DatasetSource("fake", List.of(dead),
                List.of(new RemoteFile(IMAGES, images.length, sha256(images))));
        DataFormatException e = assertThrows(DataFormatException.class, () -> downloader().download(s, dir));
        assertTrue(e.getMessage().contains(dead.resolve(IMAGES) + " ("), e.getMessage());
    }

    @Test
    void theOfficialSourcesHaveTheFourFilesEachWithSizeAndSha256() {
        for (DatasetSource s : List.of(DatasetSource.MNIST, DatasetSource.FASHION_MNIST)) {
            assertEquals(List.of("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
                    "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"),
                    s.files().stream().map(RemoteFile::name).toList());
            assertTrue(s.mirrors().size() >= 2, s.dataset() + " has a fallback mirror");
        }
        assertEquals("https://ossci-datasets.s3.amazonaws.com/mnist/", DatasetSource.MNIST.mirrors().get(0).toString());
        assertEquals(DatasetSource.MNIST, DatasetSource.official("MNIST"));
        assertEquals(DatasetSource.FASHION_MNIST, MnistDownloader.official().source("fashion-mnist"));
        assertThrows(IllegalArgumentException.class, () -> DatasetSource.official("cifar10"));
        assertThrows(IllegalArgumentException.class, () -> MnistDownloader.official().source("cifar10"));
    }

    @Test
    void sourcesAndFilesRejectWhatCannotBeRight() {
        assertThrows(IllegalArgumentException.class, () -> new RemoteFile("../x.gz", 1, "0".repeat(64)));
        assertThrows(IllegalArgumentException.class, () -> new RemoteFile("a/x.gz", 1, "0".repeat(64)));
        assertThrows(IllegalArgumentException.class, () -> new RemoteFile("x.gz", 1, "abc"));
        assertThrows(IllegalArgumentException.class, () -> new RemoteFile("x.gz", 0, "0".repeat(64)));
        RemoteFile f = new RemoteFile("x.gz", 1, "A".repeat(64));
        assertEquals("a".repeat(64), f.sha256());
        assertThrows(IllegalArgumentException.class,
                () -> new DatasetSource("d", List.of(URI.create("http://127.0.0.1/no-slash")), List.of(f)));
        assertThrows(IllegalArgumentException.class,
                () -> new DatasetSource("d", List.of(URI.create("file:///tmp/")), List.of(f)));
        assertThrows(IllegalArgumentException.class, () -> new DatasetSource("d", List.of(), List.of(f)));
    }

    @Test
    void theDefaultDirectoryIsUnderTheUserHome() {
        assertEquals(Path.of(System.getProperty("user.home"), ".nnj", "datasets", "fashion-mnist"),
                MnistDownloader.defaultDirectory("Fashion-MNIST"));
    }
}
