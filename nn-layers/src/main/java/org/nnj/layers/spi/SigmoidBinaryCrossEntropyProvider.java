package org.nnj.layers.spi;

import java.util.Set;
import org.nnj.api.Loss;
import org.nnj.api.Settings;
import org.nnj.api.spi.LossProvider;
import org.nnj.layers.SigmoidBinaryCrossEntropy;

/**
 * {@code sigmoid-binary-cross-entropy}: a {@link SigmoidBinaryCrossEntropy} loss. No settings. Stability: stable.
 */
public final class SigmoidBinaryCrossEntropyProvider implements LossProvider {

    /** For {@link java.util.ServiceLoader}. */
    public SigmoidBinaryCrossEntropyProvider() {
    }

    @Override
    public String name() {
        return "sigmoid-binary-cross-entropy";
    }

    @Override
    public String description() {
        return "sigmoid then binary cross-entropy, stable for any logit; targets in [0, 1], same shape as scores";
    }

    @Override
    public Loss create(Settings settings) {
        SettingKeys.requireKnown(name(), settings, Set.of());
        return new SigmoidBinaryCrossEntropy();
    }
}
