package org.nnj.layers;

import java.util.Objects;
import org.nnj.api.Backend;
import org.nnj.api.ConvGeometry;
import org.nnj.api.Layer;
import org.nnj.api.Mode;
import org.nnj.api.Shape;
import org.nnj.api.ShapeException;
import org.nnj.api.Tensor;

/**
 * Average pooling over {@code height × width} windows of each channel: {@code (n, C, H, W)} becomes
 * {@code (n, C, OH, OW)} with {@code OH = (H + 2·pad − height) / stride + 1} (likewise {@code OW}). Padding counts as
 * zeros, so every window is divided by its full area (PyTorch's default {@code count_include_pad=True}). Backward
 * spreads each gradient evenly over its window.
 *
 * <p>Forward keeps nothing but the input shape for backward. Buffers are reused while the input shape stays the
 * same. Not thread-safe. Stability: evolving.
 */
public final class AvgPool2d implements Layer {
    private final PoolWindow window;
    private Tensor out;
    private Tensor dx;
    private ConvGeometry geometry;
    private Shape inputShape;
    private boolean ready;

    /**
     * @param height window height, at least 1
     * @param width  window width, at least 1
     * @param stride at least 1
     * @param pad    zero padding on every side, at least 0 and smaller than the window
     * @throws IllegalArgumentException if a size is out of range
     */
    public AvgPool2d(int height, int width, int stride, int pad) {
        this.window = new PoolWindow("AvgPool2d", height, width, stride, pad);
    }

    /** A square {@code size × size} window moved by {@code size}, without padding. */
    public AvgPool2d(int size) {
        this(size, size, size, 0);
    }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(mode, "mode");
        ConvGeometry g = window.geometry(x.shape());
        Backend be = x.backend();
        out = Buffers.ensure(out, be, x.dtype(), window.outputBatch(x.shape(), g));
        be.avgPool(x, g, out);
        geometry = g;
        inputShape = x.shape();
        ready = mode == Mode.TRAIN;
        return out;
    }

    @Override
    public Tensor backward(Tensor dout) {
        Gates.checkBackward(window.label(), ready ? out : null, dout);
        dx = Buffers.ensure(dx, dout.backend(), dout.dtype(), inputShape);
        dout.backend().avgPoolBackward(dout, geometry, dx);
        return dx;
    }

    /**
     * {@code (C, OH, OW)} for an input {@code (C, H, W)}.
     *
     * @throws ShapeException naming this layer and the shape if it is not of rank 3 or the window does not fit
     */
    @Override
    public Shape outputShape(Shape inputShape) {
        return window.outputShape(inputShape);
    }

    /** {@code AvgPool2d(HxW, stride s, pad p)}. */
    @Override
    public String toString() {
        return window.label();
    }
}
