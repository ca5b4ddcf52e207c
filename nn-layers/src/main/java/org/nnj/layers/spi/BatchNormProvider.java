package org.nnj.layers.spi;

import java.util.Set;
import org.nnj.api.Layer;
import org.nnj.api.LayerContext;
import org.nnj.api.Settings;
import org.nnj.api.ShapeException;
import org.nnj.api.spi.LayerProvider;
import org.nnj.layers.BatchNorm;

/**
 * {@code batchnorm}: a {@link BatchNorm} layer whose channels are the first axis of the context's per-sample input
 * shape (features of a dense {@code (d)} input, channels of a {@code (C, H, W)} image). Settings: {@code momentum}
 * (default 0.9, in {@code [0, 1]}), {@code eps} (default 1e-5, PyTorch's; the book uses 1e-7). Stability: stable.
 */
public final class BatchNormProvider implements LayerProvider {
    private static final Set<String> KEYS = Set.of("momentum", "eps");

    /** For {@link java.util.ServiceLoader}. */
    public BatchNormProvider() {
    }

    @Override
    public String name() {
        return "batchnorm";
    }

    @Override
    public String description() {
        return "batch normalisation per feature (n, d) or per channel (n, C, H, W); momentum="
                + BatchNorm.DEFAULT_MOMENTUM + ", eps=" + BatchNorm.DEFAULT_EPS;
    }

    @Override
    public Layer create(Settings settings, LayerContext context) {
        SettingKeys.requireKnown(name(), settings, KEYS);
        double momentum = settings.getDouble("momentum", BatchNorm.DEFAULT_MOMENTUM);
        if (!(momentum >= 0 && momentum <= 1)) {
            throw new IllegalArgumentException("batchnorm: setting momentum=" + momentum + " must be in [0, 1]");
        }
        double eps = settings.getDouble("eps", BatchNorm.DEFAULT_EPS);
        if (!(eps > 0 && Double.isFinite(eps))) {
            throw new IllegalArgumentException("batchnorm: setting eps=" + eps + " must be finite and > 0");
        }
        if (context.inputShape().rank() < 1 || context.inputShape().dim(0) < 1) {
            throw new ShapeException("batchnorm: per-sample input " + context.inputShape()
                    + " has no feature or channel axis");
        }
        return new BatchNorm(context.backend(), context.dtype(), context.inputShape().dim(0), momentum, eps);
    }
}
