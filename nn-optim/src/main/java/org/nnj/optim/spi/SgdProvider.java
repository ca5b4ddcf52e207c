package org.nnj.optim.spi;

import org.nnj.api.Optimizer;
import org.nnj.api.Settings;
import org.nnj.api.spi.OptimizerProvider;
import org.nnj.optim.Sgd;

/**
 * {@code sgd}: an {@link Sgd} optimizer. Settings: {@code lr} (default {@value Sgd#DEFAULT_LR}, finite and > 0).
 * Any other key is an error. Stability: stable.
 */
public final class SgdProvider implements OptimizerProvider {

    /** For {@link java.util.ServiceLoader}. */
    public SgdProvider() {
    }

    @Override
    public String name() {
        return "sgd";
    }

    @Override
    public String description() {
        return "stochastic gradient descent W <- W - lr·dW; lr=" + Sgd.DEFAULT_LR;
    }

    @Override
    public Optimizer create(Settings settings) {
        for (String key : settings.asMap().keySet()) {
            if (!key.equals("lr")) {
                throw new IllegalArgumentException("sgd: unknown setting '" + key + "'; known settings: lr");
            }
        }
        return new Sgd(settings.getDouble("lr", Sgd.DEFAULT_LR));
    }
}
