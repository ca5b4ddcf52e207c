package org.nnj.data.mnist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nnj.api.DataFormatException;
import org.nnj.api.Settings;
import org.nnj.api.Shape;
import org.nnj.api.data.DataSplit;
import org.nnj.api.data.Dataset;
import org.nnj.api.spi.DatasetProvider;

class DatasetProvidersTest {
    private static final Path FASHION = Path.of(FashionMnistDatasetProvider.DEFAULT_DIR);

    @TempDir
    Path dir;

    private static DatasetProvider provider(String name) {
        Map<String, DatasetProvider> byName = ServiceLoader.load(DatasetProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .collect(Collectors.toMap(DatasetProvider::name, p -> p));
        DatasetProvider p = byName.get(name);
        assertTrue(p != null, () -> name + " not found among " + byName.keySet());
        return p;
    }

    @Test
    void bothProvidersAreFoundByTheirLowerCaseNames() {
        assertTrue(provider("mnist") instanceof MnistDatasetProvider);
        assertTrue(provider("fashion-mnist") instanceof FashionMnistDatasetProvider);
        assertTrue(!provider("mnist").description().isEmpty());
    }

    @Test
    void mnistWithoutDirLoadsTheEmbeddedSample() {
        Dataset ds = provider("mnist").load(Settings.empty());
        assertEquals(8000, ds.train().size());
        assertEquals(2000, ds.test().size());
        assertEquals(Shape.of(784), ds.train().sampleShape());
        Dataset images = provider("mnist").load(Settings.of("flatten", "false"));
        assertEquals(Shape.of(1, 28, 28), images.train().sampleShape());
    }

    @Test
    void mnistWithDirLoadsThatDirectory() {
        byte[] labels = {4, 2, 0};
        IdxWriter.writeImages(dir.resolve("train-images-idx3-ubyte.gz"), 3, 28, 28, new byte[3 * 784], true);
        IdxWriter.writeLabels(dir.resolve("train-labels-idx1-ubyte.gz"), labels, true);
        IdxWriter.writeImages(dir.resolve("t10k-images-idx3-ubyte.gz"), 1, 28, 28, new byte[784], true);
        IdxWriter.writeLabels(dir.resolve("t10k-labels-idx1-ubyte.gz"), new byte[] {8}, true);
        Dataset ds = provider("mnist").load(Settings.of("dir", dir));
        assertEquals(3, ds.train().size());
        assertEquals(8, ds.test().label(0));
        assertEquals(2, ds.train().label(1));
    }

    @Test
    void unknownOrMalformedSettingsAreRejectedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> provider("mnist").load(Settings.of("directory", dir)));
        assertTrue(e.getMessage().contains("directory"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> provider("fashion-mnist").load(Settings.of("dir", dir, "flatten", "yes")));
        assertTrue(e.getMessage().contains("flatten"), e.getMessage());
    }

    @Test
    void fashionMnistWithAMissingDirNamesIt() {
        Path missing = dir.resolve("fashion");
        IdxReaderTest.assertMessage(() -> provider("fashion-mnist").load(Settings.of("dir", missing)), missing,
                "train-images-idx3-ubyte[.gz]", "found nothing");
    }

    @Test
    void fashionMnistDefaultDirectoryMissingSuggestsTheDebianPackage() {
        assumeFalse(Files.isDirectory(FASHION), FASHION + " exists");
        IdxReaderTest.assertMessage(() -> provider("fashion-mnist").load(Settings.empty()), FASHION,
                "apt-get install dataset-fashion-mnist");
    }

    @Test
    void fashionMnistLoadsTheInstalledDataSet() {
        assumeTrue(Files.isDirectory(FASHION), FASHION + " is not installed (apt-get install dataset-fashion-mnist)");
        Dataset ds = provider("fashion-mnist").load(Settings.empty());
        assertEquals(60000, ds.train().size());
        assertEquals(10000, ds.test().size());
        assertEquals(Shape.of(784), ds.train().sampleShape());
        // Fashion-MNIST is exactly balanced: 6,000 training and 1,000 test images per class.
        assertArrayEquals(new int[] {6000, 6000, 6000, 6000, 6000, 6000, 6000, 6000, 6000, 6000}, counts(ds.train()));
        assertArrayEquals(new int[] {1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000}, counts(ds.test()));
        assertTrue(ds.description().startsWith("fashion-mnist"), ds.description());
    }

    private static int[] counts(DataSplit split) {
        int[] c = new int[split.numClasses()];
        for (int i = 0; i < split.size(); i++) {
            c[split.label(i)]++;
        }
        return c;
    }
}
