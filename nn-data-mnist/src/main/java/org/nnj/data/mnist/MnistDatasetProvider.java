package org.nnj.data.mnist;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nnj.api.Settings;
import org.nnj.api.data.Dataset;
import org.nnj.api.spi.DatasetProvider;
import org.nnj.data.mnist.download.MnistDownloader;

/**
 * The {@code mnist} data set: the four IDX files in {@code dir}, or without {@code dir} the real MNIST sample embedded
 * in this module (8,000 training and 2,000 test digits). Settings: {@code dir}, {@code flatten} (default true),
 * {@code download} (default false). Nothing is downloaded unless {@code download=true}: then the four official files
 * are fetched into {@code dir} (default {@code ~/.nnj/datasets/mnist}) by {@link MnistDownloader} where they are
 * missing or damaged, and loaded from there. Stability: stable.
 */
public final class MnistDatasetProvider implements DatasetProvider {
    private final MnistDownloader downloader;

    /** The provider; downloads, if asked for, use {@link MnistDownloader#official()}. */
    public MnistDatasetProvider() {
        this(null);
    }

    /** For tests: downloads go through {@code downloader} (null: the official one, created when needed). */
    MnistDatasetProvider(MnistDownloader downloader) {
        this.downloader = downloader;
    }

    @Override
    public String name() {
        return "mnist";
    }

    @Override
    public String description() {
        return "MNIST digits from dir=IDX files, else the embedded real sample (8,000 + 2,000); download=true fetches them";
    }

    @Override
    public Dataset load(Settings settings) {
        boolean download = settings.getBoolean(MnistDownloader.DOWNLOAD_SETTING, false);
        Map<String, String> rest = new LinkedHashMap<>(settings.asMap());
        rest.remove(MnistDownloader.DOWNLOAD_SETTING);
        ProviderSettings.check(name(), Settings.of(rest));
        boolean flatten = settings.getBoolean(ProviderSettings.FLATTEN, true);
        String dir = settings.getString(ProviderSettings.DIR, null);
        if (download) {
            Path target = dir == null ? MnistDownloader.defaultDirectory(name()) : Path.of(dir);
            (downloader == null ? MnistDownloader.official() : downloader).download(name(), target);
            return MnistLoader.fromDirectory(target, flatten, name());
        }
        return dir == null ? MnistLoader.embeddedSample(flatten) : MnistLoader.fromDirectory(Path.of(dir), flatten, name());
    }
}
