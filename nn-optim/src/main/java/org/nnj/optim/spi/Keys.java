package org.nnj.optim.spi;

import java.util.List;
import org.nnj.api.Settings;
import org.nnj.optim.WeightDecay;

/** Setting checks shared by the optimizer providers. */
final class Keys {
    static final String LR = "lr";
    static final String WEIGHT_DECAY = "weight_decay";
    static final String DECAY_ALL = "decay_all";

    private Keys() {
    }

    /** @throws IllegalArgumentException naming the first key not in {@code known}, and the known keys */
    static void check(String provider, Settings settings, List<String> known) {
        for (String key : settings.asMap().keySet()) {
            if (!known.contains(key)) {
                throw new IllegalArgumentException(provider + ": unknown setting '" + key + "'; known settings: "
                        + String.join(", ", known));
            }
        }
    }

    /** {@code weight_decay} (default {@code fallback}, finite and ≥ 0) and {@code decay_all} (default false). */
    static WeightDecay weightDecay(String provider, Settings settings, double fallback) {
        double rate = settings.getDouble(WEIGHT_DECAY, fallback);
        if (!(Double.isFinite(rate) && rate >= 0)) {
            throw new IllegalArgumentException(provider + ": weight_decay=" + rate + " must be finite and >= 0");
        }
        return WeightDecay.of(rate, settings.getBoolean(DECAY_ALL, false));
    }
}
