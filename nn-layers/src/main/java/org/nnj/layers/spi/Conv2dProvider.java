package org.nnj.layers.spi;

import java.util.Set;
import org.nnj.api.Layer;
import org.nnj.api.LayerContext;
import org.nnj.api.Settings;
import org.nnj.api.Shape;
import org.nnj.api.spi.LayerProvider;
import org.nnj.layers.Conv2d;
import org.nnj.layers.Init;

/**
 * {@code conv2d}: a {@link Conv2d} layer over the context's per-sample input {@code (C, H, W)}. Settings:
 * <ul>
 *   <li>{@code filters} (required, at least 1): output channels {@code FN};</li>
 *   <li>{@code kernel} (required): {@code 5} for 5×5, or {@code 3x5} for height 3 and width 5;</li>
 *   <li>{@code stride} (default 1), {@code pad} (default 0);</li>
 *   <li>{@code init}: {@code normal} (default), {@code he} or {@code xavier} (see {@link Init}; the fan-in is
 *       {@code C·KH·KW});</li>
 *   <li>{@code weight_std} (default 0.01, the book's): the std of {@code init=normal}; an error with the others.</li>
 * </ul>
 * Stability: evolving.
 */
public final class Conv2dProvider implements LayerProvider {
    private static final String NAME = "conv2d";
    private static final Set<String> KEYS = Set.of("filters", "kernel", "stride", "pad", "weight_std", "init");

    /** For {@link java.util.ServiceLoader}. */
    public Conv2dProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "2-D convolution via im2col; filters, kernel (5 or 3x5) required, stride=1, pad=0, init=normal"
                + " (he, xavier), weight_std=0.01";
    }

    /**
     * @throws org.nnj.api.ShapeException if the input is not {@code (C, H, W)} or the kernel does not fit it
     */
    @Override
    public Layer create(Settings settings, LayerContext context) {
        SettingKeys.requireKnown(NAME, settings, KEYS);
        if (!settings.has("filters")) {
            throw new IllegalArgumentException(NAME + ": setting filters is required (an integer of at least 1)");
        }
        int filters = WindowSettings.atLeast(NAME, settings, "filters", 0, 1);
        int[] kernel = WindowSettings.size(NAME, settings, "kernel", null);
        int stride = WindowSettings.atLeast(NAME, settings, "stride", 1, 1);
        int pad = WindowSettings.atLeast(NAME, settings, "pad", 0, 0);
        String initName = settings.getString("init", "normal");
        double std;
        try {
            std = settings.getDouble("weight_std", Init.DEFAULT_STD);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(NAME + ": " + e.getMessage(), e);
        }
        if (!Double.isFinite(std) || std < 0) {
            throw new IllegalArgumentException(NAME + ": setting weight_std=" + std + " must be finite and >= 0");
        }
        Init init;
        try {
            init = Init.byName(initName, std);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(NAME + ": setting init=" + initName + ": " + e.getMessage(), e);
        }
        if (settings.has("weight_std") && !init.name().equals("normal")) {
            throw new IllegalArgumentException(NAME + ": setting weight_std applies to init=normal only, not init="
                    + init.name());
        }
        Shape in = WindowSettings.image(NAME, context.inputShape());
        return new Conv2d(context.backend(), context.dtype(), in.dim(0), in.dim(1), in.dim(2), filters, kernel[0],
                kernel[1], stride, pad, context.random(), init);
    }
}
