package org.nnj.layers.spi;

import java.util.Set;
import org.nnj.api.Layer;
import org.nnj.api.LayerContext;
import org.nnj.api.Settings;
import org.nnj.api.spi.LayerProvider;
import org.nnj.layers.Flatten;

/** {@code flatten}: a {@link Flatten} layer, {@code (n, ...)} to {@code (n, size)}. No settings. Stability: stable. */
public final class FlattenProvider implements LayerProvider {

    /** For {@link java.util.ServiceLoader}. */
    public FlattenProvider() {
    }

    @Override
    public String name() {
        return "flatten";
    }

    @Override
    public String description() {
        return "reshape (n, ...) to (n, size) without copying; no settings";
    }

    @Override
    public Layer create(Settings settings, LayerContext context) {
        SettingKeys.requireKnown(name(), settings, Set.of());
        return new Flatten();
    }
}
