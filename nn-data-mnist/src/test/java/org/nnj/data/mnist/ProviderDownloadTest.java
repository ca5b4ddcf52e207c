package org.nnj.data.mnist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nnj.api.DataFormatException;
import org.nnj.api.Settings;
import org.nnj.api.Shape;
import org.nnj.api.data.Dataset;
import org.nnj.data.mnist.download.DatasetSource;
import org.nnj.data.mnist.download.LoopbackServer;
import org.nnj.data.mnist.download.MnistDownloader;
import org.nnj.data.mnist.download.RemoteFile;

/** The {@code download} setting of both providers, against small IDX files served on the loopback address. */
class ProviderDownloadTest {
    @TempDir
    Path dir;

    private LoopbackServer server;
    private MnistDownloader downloader;

    @BeforeEach
    void serveFakeSets() throws Exception {
        server = new LoopbackServer().behave("a", LoopbackServer.Behaviour.SERVE);
        Random random = new Random(3);
        byte[][] content = {
            IdxBytes.gzip(IdxBytes.images(6, 28, 28, IdxBytes.randomBytes(random, 6 * 784))),
            IdxBytes.gzip(IdxBytes.labels(IdxBytes.randomLabels(random, 6, 10))),
            IdxBytes.gzip(IdxBytes.images(4, 28, 28, IdxBytes.randomBytes(random, 4 * 784))),
            IdxBytes.gzip(IdxBytes.labels(IdxBytes.randomLabels(random, 4, 10))),
        };
        List<RemoteFile> files = new ArrayList<>();
        for (int i = 0; i < content.length; i++) {
            String name = MnistLoader.FILE_NAMES.get(i) + ".gz";
            server.file(name, content[i]);
            files.add(new RemoteFile(name, content[i].length,
                    HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content[i]))));
        }
        List<URI> mirrors = List.of(server.mirror("a"));
        downloader = MnistDownloader.builder()
                .source(new DatasetSource("mnist", mirrors, files))
                .source(new DatasetSource("fashion-mnist", mirrors, files))
                .build();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void mnistWithDownloadTrueFetchesIntoDirAndLoadsFromThere() {
        Dataset ds = new MnistDatasetProvider(downloader)
                .load(Settings.of("dir", dir, "download", "true", "flatten", "false"));
        assertEquals(6, ds.train().size());
        assertEquals(4, ds.test().size());
        assertEquals(Shape.of(1, 28, 28), ds.train().sampleShape());
        assertEquals(4, server.requests().size());
        new MnistDatasetProvider(downloader).load(Settings.of("dir", dir, "download", "true"));
        assertEquals(4, server.requests().size(), "the verified files are not fetched again");
    }

    @Test
    void fashionMnistWithDownloadTrueFetchesIntoDir() {
        Dataset ds = new FashionMnistDatasetProvider(downloader).load(Settings.of("dir", dir, "download", true));
        assertEquals(6, ds.train().size());
        assertEquals(Shape.of(784), ds.train().sampleShape());
        assertTrue(Files.isRegularFile(dir.resolve("t10k-labels-idx1-ubyte.gz")));
    }

    @Test
    void withoutDownloadNothingTouchesTheNetwork() {
        // mnist without dir: the embedded sample; with a missing dir: the usual error, not a download
        assertEquals(8000, new MnistDatasetProvider(downloader).load(Settings.empty()).train().size());
        Path missing = dir.resolve("nothing-here");
        assertThrows(DataFormatException.class,
                () -> new MnistDatasetProvider(downloader).load(Settings.of("dir", missing)));
        assertThrows(DataFormatException.class,
                () -> new FashionMnistDatasetProvider(downloader).load(Settings.of("dir", missing,
                        "download", "false")));
        assertEquals(List.of(), server.requests());
        assertTrue(Files.notExists(missing));
    }

    @Test
    void aFailedDownloadIsOneLineNamingTheMirror() throws IOException {
        server.behave("a", LoopbackServer.Behaviour.NOT_FOUND);
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> new MnistDatasetProvider(downloader).load(Settings.of("dir", dir, "download", "true")));
        assertTrue(e.getMessage().contains(server.mirror("a") + "train-images-idx3-ubyte.gz (HTTP 404)"),
                e.getMessage());
    }

    @Test
    void aMalformedDownloadValueAndUnknownKeysAreRejected() {
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> new MnistDatasetProvider(downloader).load(Settings.of("download", "yes")));
        assertTrue(bad.getMessage().contains("download=yes"), bad.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new FashionMnistDatasetProvider(downloader).load(Settings.of("downlaod", "true")));
        assertEquals(List.of(), server.requests());
    }
}
