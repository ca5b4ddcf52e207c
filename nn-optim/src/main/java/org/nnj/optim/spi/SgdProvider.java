package org.nnj.optim.spi;

import java.util.List;
import org.nnj.api.Optimizer;
import org.nnj.api.Settings;
import org.nnj.api.spi.OptimizerProvider;
import org.nnj.optim.Sgd;

/**
 * {@code sgd}: an {@link Sgd} optimizer. Settings: {@code lr} (default {@value Sgd#DEFAULT_LR}, finite and &gt; 0),
 * {@code weight_decay} (L2, default 0, finite and ≥ 0), {@code decay_all} (default false: decay only parameters of
 * rank ≥ 2, not biases or batch-norm parameters). Any other key is an error. Stability: stable.
 */
public final class SgdProvider implements OptimizerProvider {
    private static final List<String> KEYS = List.of(Keys.LR, Keys.WEIGHT_DECAY, Keys.DECAY_ALL);

    /** For {@link java.util.ServiceLoader}. */
    public SgdProvider() {
    }

    @Override
    public String name() {
        return "sgd";
    }

    @Override
    public String description() {
        return "stochastic gradient descent W <- W - lr·dW; lr=0.01 weight_decay=0 decay_all=false";
    }

    @Override
    public Optimizer create(Settings settings) {
        Keys.check(name(), settings, KEYS);
        return new Sgd(settings.getDouble(Keys.LR, Sgd.DEFAULT_LR), Keys.weightDecay(name(), settings, 0));
    }
}
