package org.nnj.layers.spi;

import java.util.Set;
import org.nnj.api.Layer;
import org.nnj.api.LayerContext;
import org.nnj.api.Settings;
import org.nnj.api.spi.LayerProvider;
import org.nnj.layers.LeakyRelu;

/**
 * {@code leaky-relu}: a {@link LeakyRelu} layer, for any input shape. Settings: {@code alpha} (default 0.01, finite
 * and not negative), the slope for inputs {@code ≤ 0}. Stability: stable.
 */
public final class LeakyReluProvider implements LayerProvider {
    private static final Set<String> KEYS = Set.of("alpha");

    /** For {@link java.util.ServiceLoader}. */
    public LeakyReluProvider() {
    }

    @Override
    public String name() {
        return "leaky-relu";
    }

    @Override
    public String description() {
        return "leaky ReLU x > 0 ? x : alpha·x; alpha=" + LeakyRelu.DEFAULT_ALPHA;
    }

    @Override
    public Layer create(Settings settings, LayerContext context) {
        SettingKeys.requireKnown(name(), settings, KEYS);
        double alpha = settings.getDouble("alpha", LeakyRelu.DEFAULT_ALPHA);
        if (!Double.isFinite(alpha) || alpha < 0) {
            throw new IllegalArgumentException("leaky-relu: setting alpha=" + alpha + " must be finite and >= 0");
        }
        return new LeakyRelu(alpha);
    }
}
