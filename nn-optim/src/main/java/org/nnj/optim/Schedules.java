package org.nnj.optim;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.nnj.api.Settings;

/**
 * Learning-rate schedules by name, for command lines and spec files ({@code --schedule cosine --t-max 10}):
 * <ul>
 *   <li>{@code constant}: no settings — {@link Constant};</li>
 *   <li>{@code step}: {@code step_size} (required, integer ≥ 1), {@code gamma} (default 0.1, in (0, 1]) —
 *       {@link StepDecay};</li>
 *   <li>{@code cosine}: {@code t_max} (required, integer ≥ 1), {@code min_lr} (default 0, in [0, lr]) —
 *       {@link CosineAnnealing}.</li>
 * </ul>
 * Names are case-insensitive. There is no provider interface for schedules in {@code nn-api}; this small factory
 * stands in for one.
 *
 * <p>Stability: evolving.
 */
public final class Schedules {
    /** The known schedule names. */
    public static final List<String> NAMES = List.of("constant", "step", "cosine");

    private Schedules() {
    }

    /**
     * The schedule {@code name} starting from {@code lr}.
     *
     * @param name     {@code constant}, {@code step} or {@code cosine}
     * @param lr       the rate of epoch 0, usually the optimizer's initial {@link HasLearningRate#learningRate()}
     * @param settings the schedule's settings, see above
     * @throws IllegalArgumentException naming an unknown schedule (and the known ones), an unknown or missing
     *                                  setting (and the known ones) or a value out of range
     */
    public static LearningRateSchedule create(String name, double lr, Settings settings) {
        Objects.requireNonNull(settings, "settings");
        switch (Objects.requireNonNull(name, "name").toLowerCase(Locale.ROOT)) {
            case "constant":
                checkKeys("constant", settings, List.of());
                return new Constant(lr);
            case "step":
                checkKeys("step", settings, List.of("step_size", "gamma"));
                return new StepDecay(lr, settings.requireInt("step_size"),
                        settings.getDouble("gamma", StepDecay.DEFAULT_GAMMA));
            case "cosine":
                checkKeys("cosine", settings, List.of("t_max", "min_lr"));
                return new CosineAnnealing(lr, settings.getDouble("min_lr", 0), settings.requireInt("t_max"));
            default:
                throw new IllegalArgumentException("unknown learning-rate schedule '" + name + "'; known: "
                        + String.join(", ", NAMES));
        }
    }

    private static void checkKeys(String name, Settings settings, List<String> known) {
        for (String key : settings.asMap().keySet()) {
            if (!known.contains(key)) {
                throw new IllegalArgumentException(name + ": unknown setting '" + key + "'; known settings: "
                        + (known.isEmpty() ? "none" : String.join(", ", known)));
            }
        }
    }
}
