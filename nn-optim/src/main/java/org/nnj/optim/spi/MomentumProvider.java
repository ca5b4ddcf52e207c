package org.nnj.optim.spi;

import java.util.List;
import org.nnj.api.Optimizer;
import org.nnj.api.Settings;
import org.nnj.api.spi.OptimizerProvider;
import org.nnj.optim.Momentum;

/**
 * {@code momentum}: a {@link Momentum} optimizer. Settings: {@code lr} (default {@value Momentum#DEFAULT_LR}, finite
 * and &gt; 0), {@code momentum} (default {@value Momentum#DEFAULT_MOMENTUM}, in [0, 1)), {@code weight_decay} (L2,
 * default 0, finite and ≥ 0), {@code decay_all} (default false: decay only parameters of rank ≥ 2). Any other key
 * is an error. Stability: stable.
 */
public final class MomentumProvider implements OptimizerProvider {
    private static final List<String> KEYS = List.of(Keys.LR, "momentum", Keys.WEIGHT_DECAY, Keys.DECAY_ALL);

    /** For {@link java.util.ServiceLoader}. */
    public MomentumProvider() {
    }

    @Override
    public String name() {
        return "momentum";
    }

    @Override
    public String description() {
        return "momentum SGD v <- momentum·v - lr·g, W <- W + v; lr=0.01 momentum=0.9 weight_decay=0 decay_all=false";
    }

    @Override
    public Optimizer create(Settings settings) {
        Keys.check(name(), settings, KEYS);
        return new Momentum(settings.getDouble(Keys.LR, Momentum.DEFAULT_LR),
                settings.getDouble("momentum", Momentum.DEFAULT_MOMENTUM), Keys.weightDecay(name(), settings, 0));
    }
}
