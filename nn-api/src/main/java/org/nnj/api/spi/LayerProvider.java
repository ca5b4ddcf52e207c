package org.nnj.api.spi;

import org.nnj.api.Layer;
import org.nnj.api.LayerContext;
import org.nnj.api.Settings;

/**
 * Creates layers of one kind by name. Stability: stable.
 */
public interface LayerProvider extends Provider {

    /**
     * A new layer.
     *
     * @param settings the layer's settings (e.g. {@code units=50}); unknown keys are an error
     * @param context  backend, dtype, per-sample input shape and seeded random generator
     * @throws IllegalArgumentException naming the setting if a setting is missing or malformed
     * @throws org.nnj.api.ShapeException if the input shape does not fit this kind of layer
     */
    Layer create(Settings settings, LayerContext context);
}
