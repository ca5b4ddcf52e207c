package org.nnj.layers;

import org.nnj.api.Backend;
import org.nnj.api.ConvGeometry;
import org.nnj.api.Tensor;

/**
 * Max pooling over {@code height × width} windows of each channel: {@code (n, C, H, W)} becomes
 * {@code (n, C, OH, OW)} with {@code OH = (H + 2·pad − height) / stride + 1} (likewise {@code OW}). Padding never
 * wins a window. Backward sends each gradient to the element that won its window only, and on ties to the first of
 * them in row-major order (where the numerical gradient is undefined).
 *
 * <p>Forward keeps the winners' indices for backward, not the input. Buffers are reused while the input shape stays
 * the same. Not thread-safe. Stability: evolving.
 */
public final class MaxPool2d extends Pool2d {
    private int[] argmax = new int[0];

    /**
     * @param height window height, at least 1
     * @param width  window width, at least 1
     * @param stride at least 1 (the book's pooling uses the window size)
     * @param pad    zero padding on every side, at least 0 and smaller than the window
     * @throws IllegalArgumentException if a size is out of range
     */
    public MaxPool2d(int height, int width, int stride, int pad) {
        super("MaxPool2d", height, width, stride, pad);
    }

    /** A square {@code size × size} window moved by {@code size}, without padding: the book's pooling. */
    public MaxPool2d(int size) {
        this(size, size, size, 0);
    }

    @Override
    void pool(Backend backend, Tensor x, ConvGeometry g, Tensor out) {
        if (argmax.length < out.size()) {
            argmax = new int[out.size()];
        }
        backend.maxPool(x, g, out, argmax);
    }

    @Override
    void unpool(Backend backend, Tensor dout, ConvGeometry g, Tensor dx) {
        backend.maxPoolBackward(dout, argmax, dx);
    }
}
