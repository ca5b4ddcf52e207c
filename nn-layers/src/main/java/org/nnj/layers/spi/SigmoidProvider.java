package org.nnj.layers.spi;

import java.util.Set;
import org.nnj.api.Layer;
import org.nnj.api.LayerContext;
import org.nnj.api.Settings;
import org.nnj.api.spi.LayerProvider;
import org.nnj.layers.Sigmoid;

/** {@code sigmoid}: a {@link Sigmoid} layer, for any input shape. No settings. Stability: stable. */
public final class SigmoidProvider implements LayerProvider {

    /** For {@link java.util.ServiceLoader}. */
    public SigmoidProvider() {
    }

    @Override
    public String name() {
        return "sigmoid";
    }

    @Override
    public String description() {
        return "logistic sigmoid 1 / (1 + exp(-x)); no settings";
    }

    @Override
    public Layer create(Settings settings, LayerContext context) {
        SettingKeys.requireKnown(name(), settings, Set.of());
        return new Sigmoid();
    }
}
