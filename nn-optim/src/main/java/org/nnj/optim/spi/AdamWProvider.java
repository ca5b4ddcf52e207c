package org.nnj.optim.spi;

import java.util.List;
import org.nnj.api.Optimizer;
import org.nnj.api.Settings;
import org.nnj.api.spi.OptimizerProvider;
import org.nnj.optim.Adam;
import org.nnj.optim.AdamW;

/**
 * {@code adamw}: an {@link AdamW} optimizer (decoupled weight decay, PyTorch's rule). Settings: {@code lr} (default
 * {@value AdamW#DEFAULT_LR}, finite and &gt; 0), {@code beta1} (default {@value Adam#DEFAULT_BETA1}, in [0, 1)),
 * {@code beta2} (default {@value Adam#DEFAULT_BETA2}, in [0, 1)), {@code eps} (default {@value Adam#DEFAULT_EPS},
 * finite and &gt; 0), {@code weight_decay} (decoupled, default {@value AdamW#DEFAULT_WEIGHT_DECAY}, finite and ≥ 0,
 * with {@code lr · weight_decay < 1}), {@code decay_all} (default false: decay only parameters of rank ≥ 2). Any
 * other key is an error. Stability: stable.
 */
public final class AdamWProvider implements OptimizerProvider {
    private static final List<String> KEYS =
            List.of(Keys.LR, "beta1", "beta2", "eps", Keys.WEIGHT_DECAY, Keys.DECAY_ALL);

    /** For {@link java.util.ServiceLoader}. */
    public AdamWProvider() {
    }

    @Override
    public String name() {
        return "adamw";
    }

    @Override
    public String description() {
        return "Adam with decoupled weight decay W <- W - lr·wd·W; lr=0.001 beta1=0.9 beta2=0.999 eps=1e-8"
                + " weight_decay=0.01 decay_all=false";
    }

    @Override
    public Optimizer create(Settings settings) {
        Keys.check(name(), settings, KEYS);
        return new AdamW(settings.getDouble(Keys.LR, AdamW.DEFAULT_LR),
                settings.getDouble("beta1", Adam.DEFAULT_BETA1), settings.getDouble("beta2", Adam.DEFAULT_BETA2),
                settings.getDouble("eps", Adam.DEFAULT_EPS),
                Keys.weightDecay(name(), settings, AdamW.DEFAULT_WEIGHT_DECAY));
    }
}
