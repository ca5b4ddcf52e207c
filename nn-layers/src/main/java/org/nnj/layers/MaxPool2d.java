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
 * Max pooling over {@code height × width} windows of each channel: {@code (n, C, H, W)} becomes
 * {@code (n, C, OH, OW)} with {@code OH = (H + 2·pad − height) / stride + 1} (likewise {@code OW}). Padding never
 * wins a window. Backward sends each gradient to the element that won its window only, and on ties to the first of
 * them in row-major order (where the numerical gradient is undefined).
 *
 * <p>Forward keeps the winners' indices for backward, not the input. Buffers are reused while the input shape stays
 * the same. Not thread-safe. Stability: evolving.
 */
public final class MaxPool2d implements Layer {
    private final PoolWindow window;
    private Tensor out;
    private Tensor dx;
    private int[] argmax = new int[0];
    private Shape inputShape;
    private boolean ready;

    /**
     * @param height window height, at least 1
     * @param width  window width, at least 1
     * @param stride at least 1 (the book's pooling uses the window size)
     * @param pad    zero padding on every side, at least 0 and smaller than the window
     * @throws IllegalArgumentException if a size is out of range
     */
    public MaxPool2d(int height, int width, int stride, int pad) {
        this.window = new PoolWindow("MaxPool2d", height, width, stride, pad);
    }

    /** A square {@code size × size} window moved by {@code size}, without padding: the book's pooling. */
    public MaxPool2d(int size) {
        this(size, size, size, 0);
    }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(mode, "mode");
        ConvGeometry g = window.geometry(x.shape());
        Backend be = x.backend();
        out = Buffers.ensure(out, be, x.dtype(), window.outputBatch(x.shape(), g));
        if (argmax.length < out.size()) {
            argmax = new int[out.size()];
        }
        be.maxPool(x, g, out, argmax);
        inputShape = x.shape();
        ready = mode == Mode.TRAIN;
        return out;
    }

    @Override
    public Tensor backward(Tensor dout) {
        Gates.checkBackward(window.label(), ready ? out : null, dout);
        dx = Buffers.ensure(dx, dout.backend(), dout.dtype(), inputShape);
        dout.backend().maxPoolBackward(dout, argmax, dx);
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

    /** {@code MaxPool2d(HxW, stride s, pad p)}. */
    @Override
    public String toString() {
        return window.label();
    }
}
