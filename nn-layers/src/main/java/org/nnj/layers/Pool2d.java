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
 * What max and average pooling share: the window, the output and input-gradient buffers (reused while the input
 * shape stays the same), the training-mode bookkeeping and the shape rules. Each kind states only its two kernels.
 */
abstract class Pool2d implements Layer {
    private final PoolWindow window;
    private Tensor out;
    private Tensor dx;
    private ConvGeometry geometry;
    private Shape inputShape;
    private boolean ready;

    Pool2d(String kind, int height, int width, int stride, int pad) {
        this.window = new PoolWindow(kind, height, width, stride, pad);
    }

    /** Pools {@code x} into {@code out}, keeping whatever backward needs. */
    abstract void pool(Backend backend, Tensor x, ConvGeometry g, Tensor out);

    /** Writes the input gradient {@code dx} of the last training-mode pooling. */
    abstract void unpool(Backend backend, Tensor dout, ConvGeometry g, Tensor dx);

    @Override
    public final Tensor forward(Tensor x, Mode mode) {
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(mode, "mode");
        ConvGeometry g = window.geometry(x.shape());
        Backend be = x.backend();
        out = Buffers.ensure(out, be, x.dtype(), window.outputBatch(x.shape(), g));
        pool(be, x, g, out);
        geometry = g;
        inputShape = x.shape();
        ready = mode == Mode.TRAIN;
        return out;
    }

    @Override
    public final Tensor backward(Tensor dout) {
        Gates.checkBackward(window.label(), ready ? out : null, dout);
        dx = Buffers.ensure(dx, dout.backend(), dout.dtype(), inputShape);
        unpool(dout.backend(), dout, geometry, dx);
        return dx;
    }

    /**
     * {@code (C, OH, OW)} for an input {@code (C, H, W)}.
     *
     * @throws ShapeException naming this layer and the shape if it is not of rank 3 or the window does not fit
     */
    @Override
    public final Shape outputShape(Shape inputShape) {
        return window.outputShape(inputShape);
    }

    /** {@code MaxPool2d(HxW, stride s, pad p)} or {@code AvgPool2d(…)}. */
    @Override
    public String toString() {
        return window.label();
    }
}
