package org.nnj.layers;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.Objects;
import org.nnj.api.ConvGeometry;
import org.nnj.api.Shape;
import org.nnj.api.ShapeException;

/** The window of a pooling layer and the checks both pooling layers share. */
final class PoolWindow {
    private final int height;
    private final int width;
    private final int stride;
    private final int pad;
    private final String label;
    private ConvGeometry cached;

    PoolWindow(String kind, int height, int width, int stride, int pad) {
        checkArgument(height >= 1 && width >= 1, "%s: window %sx%s must be at least 1x1", kind, height, width);
        checkArgument(stride >= 1, "%s: stride must be at least 1, got %s", kind, stride);
        checkArgument(pad >= 0 && pad < height && pad < width,
                "%s: pad must be at least 0 and smaller than the window %sx%s, got %s", kind, height, width, pad);
        this.height = height;
        this.width = width;
        this.stride = stride;
        this.pad = pad;
        this.label = kind + "(" + height + "x" + width + ", stride " + stride + ", pad " + pad + ")";
    }

    String label() {
        return label;
    }

    /** The geometry for a batch {@code (n, C, H, W)}; kept while the per-sample shape stays the same. */
    ConvGeometry geometry(Shape batch) {
        if (batch.rank() != 4) {
            throw new ShapeException(label + ": input " + batch + " does not fit; expected (n, C, H, W)");
        }
        ConvGeometry g = cached;
        if (g == null || g.channels() != batch.dim(1) || g.height() != batch.dim(2)
                || g.width() != batch.dim(3)) {
            g = of(batch.dim(1), batch.dim(2), batch.dim(3), "input " + batch);
            cached = g;
        }
        return g;
    }

    Shape outputBatch(Shape batch, ConvGeometry g) {
        return Shape.of(batch.dim(0), g.channels(), g.outHeight(), g.outWidth());
    }

    Shape outputShape(Shape sample) {
        Objects.requireNonNull(sample, "inputShape");
        if (sample.rank() != 3) {
            throw new ShapeException(label + ": per-sample input " + sample + " does not fit; expected (C, H, W)");
        }
        ConvGeometry g = of(sample.dim(0), sample.dim(1), sample.dim(2), "per-sample input " + sample);
        return Shape.of(g.channels(), g.outHeight(), g.outWidth());
    }

    private ConvGeometry of(int c, int h, int w, String what) {
        if (c < 1 || h < 1 || w < 1 || h + 2 * pad < height || w + 2 * pad < width) {
            throw new ShapeException(label + ": " + what + " does not fit; the window needs at least "
                    + Math.max(1, height - 2 * pad) + "x" + Math.max(1, width - 2 * pad) + " pixels per channel");
        }
        return new ConvGeometry(c, h, w, height, width, stride, pad);
    }
}
