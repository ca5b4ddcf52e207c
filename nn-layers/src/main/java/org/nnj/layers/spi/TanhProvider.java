package org.nnj.layers.spi;

import java.util.Set;
import org.nnj.api.Layer;
import org.nnj.api.LayerContext;
import org.nnj.api.Settings;
import org.nnj.api.spi.LayerProvider;
import org.nnj.layers.Tanh;

/** {@code tanh}: a {@link Tanh} layer, for any input shape. No settings. Stability: stable. */
public final class TanhProvider implements LayerProvider {

    /** For {@link java.util.ServiceLoader}. */
    public TanhProvider() {
    }

    @Override
    public String name() {
        return "tanh";
    }

    @Override
    public String description() {
        return "hyperbolic tangent; no settings";
    }

    @Override
    public Layer create(Settings settings, LayerContext context) {
        SettingKeys.requireKnown(name(), settings, Set.of());
        return new Tanh();
    }
}
