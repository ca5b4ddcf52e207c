package org.nnj.data.mnist;

import java.nio.file.Path;
import org.nnj.api.Settings;
import org.nnj.api.data.Dataset;
import org.nnj.api.spi.DatasetProvider;

/**
 * The {@code mnist} data set: the four IDX files in {@code dir}, or without {@code dir} the real MNIST sample embedded
 * in this module (8,000 training and 2,000 test digits). Settings: {@code dir}, {@code flatten} (default true).
 * Nothing is downloaded. Stability: stable.
 */
public final class MnistDatasetProvider implements DatasetProvider {

    @Override
    public String name() {
        return "mnist";
    }

    @Override
    public String description() {
        return "MNIST digits from dir=IDX files, else the embedded real sample (8,000 + 2,000)";
    }

    @Override
    public Dataset load(Settings settings) {
        ProviderSettings.check(name(), settings);
        boolean flatten = settings.getBoolean(ProviderSettings.FLATTEN, true);
        String dir = settings.getString(ProviderSettings.DIR, null);
        return dir == null ? MnistLoader.embeddedSample(flatten) : MnistLoader.fromDirectory(Path.of(dir), flatten, name());
    }
}
