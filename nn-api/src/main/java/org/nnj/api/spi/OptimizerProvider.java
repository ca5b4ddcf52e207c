package org.nnj.api.spi;

import org.nnj.api.Optimizer;
import org.nnj.api.Settings;

/**
 * Creates optimizers of one kind by name. Stability: stable.
 */
public interface OptimizerProvider extends Provider {

    /** A new optimizer, e.g. from {@code lr=0.1}. @throws IllegalArgumentException naming a malformed setting */
    Optimizer create(Settings settings);
}
