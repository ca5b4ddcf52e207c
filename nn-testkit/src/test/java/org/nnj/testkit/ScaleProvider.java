package org.nnj.testkit;

import java.util.Locale;
import org.nnj.api.Layer;
import org.nnj.api.LayerContext;
import org.nnj.api.Settings;
import org.nnj.api.spi.LayerProvider;

/** {@code kit-scale}: a {@link ScaleLayer}; setting {@code fault} picks the rule it breaks (default none). */
public final class ScaleProvider implements LayerProvider {
    @Override
    public String name() {
        return "kit-scale";
    }

    @Override
    public Layer create(Settings settings, LayerContext context) {
        ScaleLayer.Fault fault = ScaleLayer.Fault.valueOf(
                settings.getString("fault", "none").toUpperCase(Locale.ROOT).replace('-', '_'));
        return new ScaleLayer(context.backend(), context.dtype(), context.inputShape().dim(0), context.random(),
                fault);
    }
}
