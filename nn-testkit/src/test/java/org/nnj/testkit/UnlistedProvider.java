package org.nnj.testkit;

import org.nnj.api.Layer;
import org.nnj.api.LayerContext;
import org.nnj.api.Settings;
import org.nnj.api.spi.LayerProvider;

/** A correct layer whose provider is missing from {@code META-INF/services}. */
public final class UnlistedProvider implements LayerProvider {
    @Override
    public String name() {
        return "kit-unlisted";
    }

    @Override
    public Layer create(Settings settings, LayerContext context) {
        return new ScaleProvider().create(Settings.empty(), context);
    }
}
