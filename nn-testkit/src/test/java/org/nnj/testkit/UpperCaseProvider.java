package org.nnj.testkit;

import org.nnj.api.Layer;
import org.nnj.api.LayerContext;
import org.nnj.api.Settings;
import org.nnj.api.spi.LayerProvider;

/** A correct layer under a name that is not lower case. */
public final class UpperCaseProvider implements LayerProvider {
    @Override
    public String name() {
        return "Kit-Upper";
    }

    @Override
    public Layer create(Settings settings, LayerContext context) {
        return new ScaleProvider().create(Settings.empty(), context);
    }
}
