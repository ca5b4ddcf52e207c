package org.nnj.api.spi;

import org.nnj.api.Loss;
import org.nnj.api.Settings;

/**
 * Creates losses of one kind by name. Stability: stable.
 */
public interface LossProvider extends Provider {

    /** A new loss. @throws IllegalArgumentException naming the setting if a setting is malformed */
    Loss create(Settings settings);
}
