package org.nnj.layers.spi;

import java.util.Locale;
import java.util.Set;
import org.nnj.api.Layer;
import org.nnj.api.LayerContext;
import org.nnj.api.Settings;
import org.nnj.api.Shape;
import org.nnj.api.ShapeException;
import org.nnj.api.Tensor;
import org.nnj.api.spi.LayerProvider;
import org.nnj.layers.Affine;
import org.nnj.layers.Init;

/**
 * {@code affine}: an {@link Affine} layer. Settings: {@code units} (required, at least 1), {@code init}
 * ({@code normal} (default), {@code he} or {@code xavier}, see {@link Init}; fan-in is the input size),
 * {@code weight_std} (for {@code init=normal} only; default 0.01, the book's {@code weight_init_std}; given with
 * {@code he} or {@code xavier} it is an error, since they derive the std from the fan-in). Biases start at zero. The
 * input size is the number of elements of the context's per-sample input shape, so {@code (1, 28, 28)} gives 784.
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
        return "fully connected Y = X·W + b; units (required), init=normal|he|xavier, weight_std=0.01 (normal)";
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
        if (!Init.NAMES.contains(init)) {
            throw new IllegalArgumentException("affine: setting init=" + settings.getString("init", "")
                    + " is not supported; known values: " + String.join(", ", Init.NAMES));
        }
        if (!init.equals("normal") && settings.has("weight_std")) {
            throw new IllegalArgumentException("affine: setting weight_std applies to init=normal only, not init="
                    + init);
        }
        int in = context.inputShape().size();
        if (in < 1) {
            throw new ShapeException("affine: per-sample input " + context.inputShape() + " has no elements");
        }
        Tensor w = Init.byName(init, std).create(context.backend(), context.dtype(), Shape.of(in, units), in,
                context.random());
        return new Affine(w, context.backend().zeros(context.dtype(), Shape.of(units)));
    }
}
