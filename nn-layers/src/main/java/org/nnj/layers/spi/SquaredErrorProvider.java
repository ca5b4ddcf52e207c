package org.nnj.layers.spi;

import java.util.Set;
import org.nnj.api.Loss;
import org.nnj.api.Settings;
import org.nnj.api.spi.LossProvider;
import org.nnj.layers.SquaredError;

/** {@code squared-error}: a {@link SquaredError} loss. No settings. Stability: stable. */
public final class SquaredErrorProvider implements LossProvider {

    /** For {@link java.util.ServiceLoader}. */
    public SquaredErrorProvider() {
    }

    @Override
    public String name() {
        return "squared-error";
    }

    @Override
    public String description() {
        return "½·Σ(y − t)² per sample, averaged over the batch; target has the scores' shape";
    }

    @Override
    public Loss create(Settings settings) {
        SettingKeys.requireKnown(name(), settings, Set.of());
        return new SquaredError();
    }
}
