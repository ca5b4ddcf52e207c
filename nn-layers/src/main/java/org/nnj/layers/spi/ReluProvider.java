package org.nnj.layers.spi;

import java.util.Set;
import org.nnj.api.Layer;
import org.nnj.api.LayerContext;
import org.nnj.api.Settings;
import org.nnj.api.spi.LayerProvider;
import org.nnj.layers.Relu;

/** {@code relu}: a {@link Relu} layer, for any input shape. No settings. Stability: stable. */
public final class ReluProvider implements LayerProvider {

    /** For {@link java.util.ServiceLoader}. */
    public ReluProvider() {
    }

    @Override
    public String name() {
        return "relu";
    }

    @Override
    public String description() {
        return "rectified linear unit max(x, 0); no settings";
    }

    @Override
    public Layer create(Settings settings, LayerContext context) {
        SettingKeys.requireKnown(name(), settings, Set.of());
        return new Relu();
    }
}
