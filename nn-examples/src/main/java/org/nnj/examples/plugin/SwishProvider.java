package org.nnj.examples.plugin;

import org.nnj.api.Layer;
import org.nnj.api.LayerContext;
import org.nnj.api.Settings;
import org.nnj.api.spi.LayerProvider;

/**
 * {@code swish}: a {@link Swish} layer for any input shape; no settings. Registered in
 * {@code META-INF/services/org.nnj.api.spi.LayerProvider}, exactly as a plugin in its own jar would be.
 */
public final class SwishProvider implements LayerProvider {

    /** For {@link java.util.ServiceLoader}. */
    public SwishProvider() {
    }

    @Override
    public String name() {
        return "swish";
    }

    @Override
    public String description() {
        return "swish / SiLU x·sigmoid(x), a custom layer from nn-examples; no settings";
    }

    @Override
    public Layer create(Settings settings, LayerContext context) {
        if (!settings.asMap().isEmpty()) {
            throw new IllegalArgumentException("swish: unknown setting '" + settings.asMap().keySet().iterator().next()
                    + "'; known settings: none");
        }
        return new Swish();
    }
}
