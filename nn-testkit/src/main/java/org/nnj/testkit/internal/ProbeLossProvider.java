package org.nnj.testkit.internal;

import org.nnj.api.Loss;
import org.nnj.api.Settings;
import org.nnj.api.spi.LossProvider;

/**
 * Provides {@link ProbeLoss} as {@value #NAME}, only to the registries {@link org.nnj.testkit.LayerKit} builds
 * (through {@link KitClassLoader}); it is not registered in {@code META-INF/services}, so it never shows up in a
 * user's own registry. Internal to the kit; not API.
 */
public final class ProbeLossProvider implements LossProvider {
    /** The provider name. */
    public static final String NAME = "nnj-testkit-probe";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "L = sum(scores * target), for nnj-testkit's save/load check";
    }

    @Override
    public Loss create(Settings settings) {
        if (!settings.asMap().isEmpty()) {
            throw new IllegalArgumentException(NAME + ": no settings expected, got " + settings);
        }
        return new ProbeLoss();
    }
}
