package org.nnj.optim.spi;

import java.util.List;
import org.nnj.api.Optimizer;
import org.nnj.api.Settings;
import org.nnj.api.spi.OptimizerProvider;
import org.nnj.optim.AdaGrad;

/**
 * {@code adagrad}: an {@link AdaGrad} optimizer. Settings: {@code lr} (default {@value AdaGrad#DEFAULT_LR}, finite
 * and &gt; 0), {@code eps} (default {@value AdaGrad#DEFAULT_EPS}, finite and &gt; 0), {@code weight_decay} (L2,
 * default 0, finite and ≥ 0), {@code decay_all} (default false: decay only parameters of rank ≥ 2). Any other key is
 * an error. Stability: stable.
 */
public final class AdaGradProvider implements OptimizerProvider {
    private static final List<String> KEYS = List.of(Keys.LR, "eps", Keys.WEIGHT_DECAY, Keys.DECAY_ALL);

    /** For {@link java.util.ServiceLoader}. */
    public AdaGradProvider() {
    }

    @Override
    public String name() {
        return "adagrad";
    }

    @Override
    public String description() {
        return "AdaGrad h <- h + g², W <- W - lr·g/(√h + eps); lr=0.01 eps=1e-7 weight_decay=0 decay_all=false";
    }

    @Override
    public Optimizer create(Settings settings) {
        Keys.check(name(), settings, KEYS);
        return new AdaGrad(settings.getDouble(Keys.LR, AdaGrad.DEFAULT_LR),
                settings.getDouble("eps", AdaGrad.DEFAULT_EPS), Keys.weightDecay(name(), settings, 0));
    }
}
