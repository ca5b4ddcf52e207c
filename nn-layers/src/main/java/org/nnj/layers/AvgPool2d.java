package org.nnj.layers;

import org.nnj.api.Backend;
import org.nnj.api.ConvGeometry;
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
public final class AvgPool2d extends Pool2d {
    /**
     * @param height window height, at least 1
     * @param width  window width, at least 1
     * @param stride at least 1
     * @param pad    zero padding on every side, at least 0 and smaller than the window
     * @throws IllegalArgumentException if a size is out of range
     */
    public AvgPool2d(int height, int width, int stride, int pad) {
        super("AvgPool2d", height, width, stride, pad);
    }

    /** A square {@code size × size} window moved by {@code size}, without padding. */
    public AvgPool2d(int size) {
        this(size, size, size, 0);
    }

    @Override
    void pool(Backend backend, Tensor x, ConvGeometry g, Tensor out) {
        backend.avgPool(x, g, out);
    }

    @Override
    void unpool(Backend backend, Tensor dout, ConvGeometry g, Tensor dx) {
        backend.avgPoolBackward(dout, g, dx);
    }
}
