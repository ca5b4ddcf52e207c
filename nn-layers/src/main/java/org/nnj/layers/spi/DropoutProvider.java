package org.nnj.layers.spi;

import java.util.Set;
import org.nnj.api.Layer;
import org.nnj.api.LayerContext;
import org.nnj.api.Settings;
import org.nnj.api.spi.LayerProvider;
import org.nnj.layers.Dropout;

/**
 * {@code dropout}: an inverted {@link Dropout} layer, for any input shape. Settings: {@code rate} (default 0.5, in
 * {@code [0, 1)}), the probability of dropping an element; {@code seed} (an integer), the seed of the layer's masks.
 * Without a seed, the layer's generator is seeded with one {@code nextLong()} of the context's generator, so a network
 * built from a seeded context is reproducible and its masks do not share a stream with anything else. The layer keeps
 * its generator's state as the state tensor {@code rng}, so that saving and resuming continues the same masks.
 * Stability: stable.
 */
public final class DropoutProvider implements LayerProvider {
    private static final Set<String> KEYS = Set.of("rate", "seed");

    /** For {@link java.util.ServiceLoader}. */
    public DropoutProvider() {
    }

    @Override
    public String name() {
        return "dropout";
    }

    @Override
    public String description() {
        return "inverted dropout, identity in inference; rate=" + Dropout.DEFAULT_RATE + ", seed (optional)";
    }

    @Override
    public Layer create(Settings settings, LayerContext context) {
        SettingKeys.requireKnown(name(), settings, KEYS);
        double rate = settings.getDouble("rate", Dropout.DEFAULT_RATE);
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException("dropout: setting rate=" + rate + " must be in [0, 1)");
        }
        long seed;
        if (settings.has("seed")) {
            String text = settings.getString("seed", "").trim();
            try {
                seed = Long.parseLong(text);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("dropout: setting seed=" + text + " is not an integer");
            }
        } else {
            seed = context.random().nextLong();
        }
        return new Dropout(rate, seed, context.backend(), context.dtype());
    }
}
