package org.nnj.optim.spi;

import java.util.List;
import org.nnj.api.Optimizer;
import org.nnj.api.Settings;
import org.nnj.api.spi.OptimizerProvider;
import org.nnj.optim.RmsProp;

/**
 * {@code rmsprop}: an {@link RmsProp} optimizer. Settings: {@code lr} (default {@value RmsProp#DEFAULT_LR}, finite
 * and &gt; 0), {@code decay} (default {@value RmsProp#DEFAULT_DECAY}, in [0, 1)), {@code eps} (default
 * {@value RmsProp#DEFAULT_EPS}, finite and &gt; 0), {@code weight_decay} (L2, default 0, finite and ≥ 0),
 * {@code decay_all} (default false: decay only parameters of rank ≥ 2). Any other key is an error.
 * Stability: stable.
 */
public final class RmsPropProvider implements OptimizerProvider {
    private static final List<String> KEYS = List.of(Keys.LR, "decay", "eps", Keys.WEIGHT_DECAY, Keys.DECAY_ALL);

    /** For {@link java.util.ServiceLoader}. */
    public RmsPropProvider() {
    }

    @Override
    public String name() {
        return "rmsprop";
    }

    @Override
    public String description() {
        return "RMSprop h <- decay·h + (1-decay)·g², W <- W - lr·g/(√h + eps); lr=0.01 decay=0.99 eps=1e-7"
                + " weight_decay=0 decay_all=false";
    }

    @Override
    public Optimizer create(Settings settings) {
        Keys.check(name(), settings, KEYS);
        return new RmsProp(settings.getDouble(Keys.LR, RmsProp.DEFAULT_LR),
                settings.getDouble("decay", RmsProp.DEFAULT_DECAY), settings.getDouble("eps", RmsProp.DEFAULT_EPS),
                Keys.weightDecay(name(), settings, 0));
    }
}
