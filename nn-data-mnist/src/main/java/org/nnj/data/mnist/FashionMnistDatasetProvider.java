package org.nnj.data.mnist;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nnj.api.DataFormatException;
import org.nnj.api.Settings;
import org.nnj.api.data.Dataset;
import org.nnj.api.spi.DatasetProvider;
import org.nnj.data.mnist.download.MnistDownloader;

/**
 * The {@code fashion-mnist} data set (Zalando's 28 × 28 clothing images, 10 classes): the four IDX files in
 * {@code dir}, by default {@value #DEFAULT_DIR}, where the Debian package {@code dataset-fashion-mnist} installs them.
 * Settings: {@code dir}, {@code flatten} (default true), {@code download} (default false). Nothing is downloaded
 * unless {@code download=true}: then the four official files are fetched into {@code dir} (default
 * {@code ~/.nnj/datasets/fashion-mnist}, not the read-only system directory) by {@link MnistDownloader} where they are
 * missing or damaged, and loaded from there. Stability: stable.
 */
public final class FashionMnistDatasetProvider implements DatasetProvider {

    /** Where {@code apt-get install dataset-fashion-mnist} puts the files. */
    public static final String DEFAULT_DIR = "/usr/share/datasets/fashion-mnist";

    private final MnistDownloader downloader;

    /** The provider; downloads, if asked for, use {@link MnistDownloader#official()}. */
    public FashionMnistDatasetProvider() {
        this(null);
    }

    /** For tests: downloads go through {@code downloader} (null: the official one, created when needed). */
    FashionMnistDatasetProvider(MnistDownloader downloader) {
        this.downloader = downloader;
    }

    @Override
    public String name() {
        return "fashion-mnist";
    }

    @Override
    public String description() {
        return "Fashion-MNIST from dir=IDX files (default " + DEFAULT_DIR + "); download=true fetches them";
    }

    @Override
    public Dataset load(Settings settings) {
        boolean download = settings.getBoolean(MnistDownloader.DOWNLOAD_SETTING, false);
        Map<String, String> rest = new LinkedHashMap<>(settings.asMap());
        rest.remove(MnistDownloader.DOWNLOAD_SETTING);
        ProviderSettings.check(name(), Settings.of(rest));
        boolean flatten = settings.getBoolean(ProviderSettings.FLATTEN, true);
        if (download) {
            Path target = settings.has(ProviderSettings.DIR) ? Path.of(settings.getString(ProviderSettings.DIR, null))
                    : MnistDownloader.defaultDirectory(name());
            (downloader == null ? MnistDownloader.official() : downloader).download(name(), target);
            return MnistLoader.fromDirectory(target, flatten, name());
        }
        Path dir = Path.of(settings.getString(ProviderSettings.DIR, DEFAULT_DIR));
        if (!settings.has(ProviderSettings.DIR) && !Files.isDirectory(dir)) {
            throw new DataFormatException(dir + ": expected the Fashion-MNIST IDX files (train-images-idx3-ubyte.gz, "
                    + "train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz), found no "
                    + "such directory: run apt-get install dataset-fashion-mnist, or set dir=");
        }
        return MnistLoader.fromDirectory(dir, flatten, name());
    }
}
