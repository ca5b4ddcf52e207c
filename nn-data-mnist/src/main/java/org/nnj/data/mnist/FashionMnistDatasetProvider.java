package org.nnj.data.mnist;

import java.nio.file.Files;
import java.nio.file.Path;
import org.nnj.api.DataFormatException;
import org.nnj.api.Settings;
import org.nnj.api.data.Dataset;
import org.nnj.api.spi.DatasetProvider;

/**
 * The {@code fashion-mnist} data set (Zalando's 28 × 28 clothing images, 10 classes): the four IDX files in
 * {@code dir}, by default {@value #DEFAULT_DIR}, where the Debian package {@code dataset-fashion-mnist} installs them.
 * Settings: {@code dir}, {@code flatten} (default true). Nothing is downloaded. Stability: stable.
 */
public final class FashionMnistDatasetProvider implements DatasetProvider {

    /** Where {@code apt-get install dataset-fashion-mnist} puts the files. */
    public static final String DEFAULT_DIR = "/usr/share/datasets/fashion-mnist";

    @Override
    public String name() {
        return "fashion-mnist";
    }

    @Override
    public String description() {
        return "Fashion-MNIST from dir=IDX files (default " + DEFAULT_DIR + ")";
    }

    @Override
    public Dataset load(Settings settings) {
        ProviderSettings.check(name(), settings);
        boolean flatten = settings.getBoolean(ProviderSettings.FLATTEN, true);
        Path dir = Path.of(settings.getString(ProviderSettings.DIR, DEFAULT_DIR));
        if (!settings.has(ProviderSettings.DIR) && !Files.isDirectory(dir)) {
            throw new DataFormatException(dir + ": expected the Fashion-MNIST IDX files (train-images-idx3-ubyte.gz, "
                    + "train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz), found no "
                    + "such directory: run apt-get install dataset-fashion-mnist, or set dir=");
        }
        return MnistLoader.fromDirectory(dir, flatten, name());
    }
}
