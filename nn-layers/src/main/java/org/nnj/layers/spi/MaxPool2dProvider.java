package org.nnj.layers.spi;

import org.nnj.api.Layer;
import org.nnj.api.LayerContext;
import org.nnj.api.Settings;
import org.nnj.api.spi.LayerProvider;
import org.nnj.layers.MaxPool2d;

/**
 * {@code maxpool2d}: a {@link MaxPool2d} layer over the context's per-sample input {@code (C, H, W)}. Settings:
 * {@code size} (default 2; {@code 2x3} for height 2 and width 3), {@code stride} (default: the size; required for a
 * rectangular size), {@code pad} (default 0, smaller than the window). Stability: evolving.
 */
public final class MaxPool2dProvider implements LayerProvider {
    /** For {@link java.util.ServiceLoader}. */
    public MaxPool2dProvider() {
    }

    @Override
    public String name() {
        return "maxpool2d";
    }

    @Override
    public String description() {
        return "max pooling, gradient to the first maximum; size=2 (or 2x3, then stride is required), stride=size"
                + " (one number for both axes), pad=0";
    }

    @Override
    public Layer create(Settings settings, LayerContext context) {
        int[] w = WindowSettings.pool(name(), settings, context);
        MaxPool2d layer = new MaxPool2d(w[0], w[1], w[2], w[3]);
        layer.outputShape(context.inputShape()); // the window must fit the input
        return layer;
    }
}
