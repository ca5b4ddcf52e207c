package org.nnj.optim.spi;

import java.util.List;
import org.nnj.api.Optimizer;
import org.nnj.api.Settings;
import org.nnj.api.spi.OptimizerProvider;
import org.nnj.optim.Adam;

/**
 * {@code adam}: an {@link Adam} optimizer (PyTorch's rule, bias-corrected). Settings: {@code lr} (default
 * {@value Adam#DEFAULT_LR}, finite and &gt; 0), {@code beta1} (default {@value Adam#DEFAULT_BETA1}, in [0, 1)),
 * {@code beta2} (default {@value Adam#DEFAULT_BETA2}, in [0, 1)), {@code eps} (default {@value Adam#DEFAULT_EPS},
 * finite and &gt; 0), {@code weight_decay} (L2, default 0, finite and ≥ 0), {@code decay_all} (default false: decay
 * only parameters of rank ≥ 2). Any other key is an error. Stability: stable.
 */
public final class AdamProvider implements OptimizerProvider {
    private static final List<String> KEYS =
            List.of(Keys.LR, "beta1", "beta2", "eps", Keys.WEIGHT_DECAY, Keys.DECAY_ALL);

    /** For {@link java.util.ServiceLoader}. */
    public AdamProvider() {
    }

    @Override
    public String name() {
        return "adam";
    }

    @Override
    public String description() {
        return "Adam with bias correction; lr=0.001 beta1=0.9 beta2=0.999 eps=1e-8 weight_decay=0 (L2)"
                + " decay_all=false";
    }

    @Override
    public Optimizer create(Settings settings) {
        Keys.check(name(), settings, KEYS);
        return new Adam(settings.getDouble(Keys.LR, Adam.DEFAULT_LR),
                settings.getDouble("beta1", Adam.DEFAULT_BETA1), settings.getDouble("beta2", Adam.DEFAULT_BETA2),
                settings.getDouble("eps", Adam.DEFAULT_EPS), Keys.weightDecay(name(), settings, 0));
    }
}
