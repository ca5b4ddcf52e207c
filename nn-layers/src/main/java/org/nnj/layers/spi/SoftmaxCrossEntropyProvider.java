package org.nnj.layers.spi;

import java.util.Set;
import org.nnj.api.Loss;
import org.nnj.api.Settings;
import org.nnj.api.spi.LossProvider;
import org.nnj.layers.SoftmaxCrossEntropy;

/** {@code softmax-cross-entropy}: a {@link SoftmaxCrossEntropy} loss. No settings. Stability: stable. */
public final class SoftmaxCrossEntropyProvider implements LossProvider {

    /** For {@link java.util.ServiceLoader}. */
    public SoftmaxCrossEntropyProvider() {
    }

    @Override
    public String name() {
        return "softmax-cross-entropy";
    }

    @Override
    public String description() {
        return "softmax then mean cross-entropy (the book's SoftmaxWithLoss); targets (n) or one-hot (n, c)";
    }

    @Override
    public Loss create(Settings settings) {
        SettingKeys.requireKnown(name(), settings, Set.of());
        return new SoftmaxCrossEntropy();
    }
}
