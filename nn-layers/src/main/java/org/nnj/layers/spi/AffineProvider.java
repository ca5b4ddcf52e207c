package org.nnj.layers.spi;

import java.util.Locale;
import java.util.Set;
import org.nnj.api.Layer;
import org.nnj.api.LayerContext;
import org.nnj.api.Settings;
import org.nnj.api.ShapeException;
import org.nnj.api.spi.LayerProvider;
import org.nnj.layers.Affine;

/**
 * {@code affine}: an {@link Affine} layer. Settings: {@code units} (required, at least 1), {@code weight_std}
 * (default 0.01, the book's {@code weight_init_std}), {@code init} (only {@code normal} for now). The input size is
 * the number of elements of the context's per-sample input shape, so {@code (1, 28, 28)} gives 784.
 * Stability: stable.
 */
public final class AffineProvider implements LayerProvider {
    /** The book's {@code weight_init_std}. */
    public static final double DEFAULT_WEIGHT_STD = 0.01;
    private static final Set<String> KEYS = Set.of("units", "weight_std", "init");

    /** For {@link java.util.ServiceLoader}. */
    public AffineProvider() {
    }

    @Override
    public String name() {
        return "affine";
    }

    @Override
    public String description() {
        return "fully connected Y = X·W + b; units (required), weight_std=0.01, init=normal";
    }

    @Override
    public Layer create(Settings settings, LayerContext context) {
        SettingKeys.requireKnown(name(), settings, KEYS);
        int units = settings.requireInt("units");
        if (units < 1) {
            throw new IllegalArgumentException("affine: setting units=" + units + " must be at least 1");
        }
        double std = settings.getDouble("weight_std", DEFAULT_WEIGHT_STD);
        if (!Double.isFinite(std) || std < 0) {
            throw new IllegalArgumentException("affine: setting weight_std=" + std + " must be finite and >= 0");
        }
        String init = settings.getString("init", "normal").trim().toLowerCase(Locale.ROOT);
        if (!init.equals("normal")) {
            throw new IllegalArgumentException("affine: setting init=" + settings.getString("init", "")
                    + " is not supported; known values: normal");
        }
        int in = context.inputShape().size();
        if (in < 1) {
            throw new ShapeException("affine: per-sample input " + context.inputShape() + " has no elements");
        }
        return new Affine(context.backend(), context.dtype(), in, units, context.random(), std);
    }
}
