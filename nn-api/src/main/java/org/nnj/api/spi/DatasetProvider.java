package org.nnj.api.spi;

import org.nnj.api.Settings;
import org.nnj.api.data.Dataset;

/**
 * Loads data sets of one kind by name. Stability: stable.
 */
public interface DatasetProvider extends Provider {

    /**
     * Loads the data set. Nothing is downloaded unless the settings ask for it.
     *
     * @param settings e.g. {@code dir=/path/to/idx/files}, {@code flatten=true}; unknown keys are an error
     * @throws org.nnj.api.DataFormatException naming the file if a file is missing, truncated or corrupt
     */
    Dataset load(Settings settings);
}
