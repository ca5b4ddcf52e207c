package org.nnj.layers;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.List;
import java.util.Objects;
import java.util.Random;
import org.nnj.api.Backend;
import org.nnj.api.ConvGeometry;
import org.nnj.api.DType;
import org.nnj.api.Layer;
import org.nnj.api.Mode;
import org.nnj.api.Parameter;
import org.nnj.api.Shape;
import org.nnj.api.ShapeException;
import org.nnj.api.Tensor;

/**
 * The 2-D convolution of the book's chapter 7, computed as the book does, through im2col and one matrix multiply.
 *
 * <p>Shapes: the input is {@code (n, C, H, W)}, the filters {@code W} are {@code (FN, C, KH, KW)}, the biases
 * {@code b} are {@code (FN)}, the output is {@code (n, FN, OH, OW)} with {@code OH = (H + 2·pad − KH) / stride + 1}
 * (likewise {@code OW}). Kernels and images may be rectangular.
 *
 * <p>Forward: {@code col = im2col(x)} {@code (n·OH·OW, C·KH·KW)}, {@code y = col · Wᵀ + b} with {@code W} seen as
 * {@code (FN, C·KH·KW)}, then the {@code (n, OH·OW, FN)} result is permuted to {@code (n, FN, OH·OW)}. Backward
 * permutes {@code dout} back to {@code dY (n·OH·OW, FN)} and adds the column sums of {@code dY} into {@code b}'s
 * gradient and {@code dYᵀ · col} into {@code W}'s; the input gradient is {@code col2im(dY · W)}.
 * {@link #backwardParameters} skips that last multiply and the col2im, which the first layer of a network never needs.
 *
 * <p>Forward keeps its im2col matrix (not the input) for backward. Every buffer is reused while the batch size,
 * dtype and backend stay the same. Not thread-safe. Stability: evolving.
 */
public final class Conv2d implements Layer {
    private static final int[] SWAP_LAST_TWO = {0, 2, 1};

    private final Parameter weight;
    private final Parameter bias;
    private final ConvGeometry geometry;
    private final int filters;
    private final int positions;
    private final String label;
    /** {@code W} and its gradient seen as {@code (FN, C·KH·KW)} matrices: views sharing the parameters' storage. */
    private final Tensor w2d;
    private final Tensor dw2d;

    private Tensor col;
    private Tensor y2d;
    private Tensor y3d;
    private Tensor out;
    private Tensor out3d;
    private Tensor dy2d;
    private Tensor dy3d;
    private Tensor dcol;
    private Tensor dx;
    private boolean ready;

    /**
     * A layer with filters drawn from {@code N(0, weightStd²)} (the book's {@code weight_init_std · randn(FN, C, KH,
     * KW)}, filled row-major from {@code random.nextGaussian()}) and zero biases.
     *
     * @param backend      creates the parameters
     * @param dtype        dtype of the parameters
     * @param channels     {@code C}, input channels
     * @param height       {@code H}, input height
     * @param width        {@code W}, input width
     * @param filters      {@code FN}, output channels
     * @param kernelHeight {@code KH}
     * @param kernelWidth  {@code KW}
     * @param stride       at least 1
     * @param pad          zero padding on every side, at least 0
     * @param random       seeded generator for the filters
     * @param weightStd    standard deviation of the filters, finite and not negative (the book uses 0.01)
     * @throws IllegalArgumentException if a size, the stride, the padding or the standard deviation is out of range
     * @throws ShapeException if the kernel does not fit the padded input
     */
    public Conv2d(Backend backend, DType dtype, int channels, int height, int width, int filters, int kernelHeight,
                  int kernelWidth, int stride, int pad, Random random, double weightStd) {
        this(backend, dtype, channels, height, width, filters, kernelHeight, kernelWidth, stride, pad, random,
                Init.normal(weightStd));
    }

    /**
     * A layer with filters drawn by {@code init} with fan-in {@code C·KH·KW} (so {@code he} gives
     * {@code √(2 / (C·KH·KW))}) and zero biases; arguments as in the other constructor.
     */
    public Conv2d(Backend backend, DType dtype, int channels, int height, int width, int filters, int kernelHeight,
                  int kernelWidth, int stride, int pad, Random random, Init init) {
        this(initialFilters(backend, dtype, channels, filters, kernelHeight, kernelWidth, random, init),
                Objects.requireNonNull(backend, "backend").zeros(dtype, Shape.of(filters)), height, width, stride,
                pad);
    }

    /**
     * A layer whose parameters are the given tensors themselves (not copies): training updates them in place.
     *
     * @param w      filters, shape {@code (FN, C, KH, KW)}
     * @param b      biases, shape {@code (FN)}, same backend and dtype as {@code w}
     * @param height {@code H}, input height
     * @param width  {@code W}, input width
     * @param stride at least 1
     * @param pad    at least 0
     * @throws ShapeException if the shapes do not fit together or the kernel does not fit the padded input
     * @throws IllegalArgumentException if the backends or dtypes differ, or a size is not positive
     */
    public Conv2d(Tensor w, Tensor b, int height, int width, int stride, int pad) {
        Objects.requireNonNull(w, "w");
        Objects.requireNonNull(b, "b");
        Shape ws = w.shape();
        if (ws.rank() != 4 || b.shape().rank() != 1 || b.shape().dim(0) != ws.dim(0)) {
            throw new ShapeException("Conv2d: W " + ws + " and b " + b.shape()
                    + " do not fit; expected W (FN, C, KH, KW) and b (FN)");
        }
        checkArgument(w.backend() == b.backend(), "Conv2d: W and b belong to different backends");
        checkArgument(w.dtype() == b.dtype(), "Conv2d: W is %s but b is %s", w.dtype(), b.dtype());
        checkArgument(ws.size() > 0, "Conv2d: W %s has an empty dimension", ws);
        checkArgument(height > 0 && width > 0, "Conv2d: input %sx%s must not be empty", height, width);
        checkArgument(stride >= 1, "Conv2d: stride must be at least 1, got %s", stride);
        checkArgument(pad >= 0, "Conv2d: pad must be at least 0, got %s", pad);
        this.filters = ws.dim(0);
        this.label = "Conv2d(" + ws.dim(1) + " -> " + filters + ", " + ws.dim(2) + "x" + ws.dim(3) + ", stride "
                + stride + ", pad " + pad + ")";
        if (height + 2 * pad < ws.dim(2) || width + 2 * pad < ws.dim(3)) {
            throw new ShapeException(label + ": kernel " + ws.dim(2) + "x" + ws.dim(3) + " does not fit the input ("
                    + ws.dim(1) + ", " + height + ", " + width + ") padded by " + pad);
        }
        this.geometry = new ConvGeometry(ws.dim(1), height, width, ws.dim(2), ws.dim(3), stride, pad);
        this.positions = geometry.outHeight() * geometry.outWidth();
        this.weight = new Parameter("W", w);
        this.bias = new Parameter("b", b);
        Shape flat = Shape.of(filters, geometry.windowSize());
        this.w2d = w.reshape(flat);
        this.dw2d = weight.grad().reshape(flat);
    }

    private static Tensor initialFilters(Backend backend, DType dtype, int channels, int filters, int kh, int kw,
                                         Random random, Init init) {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(init, "init");
        checkArgument(channels > 0 && filters > 0 && kh > 0 && kw > 0,
                "Conv2d: channels, filters and kernel sizes must be at least 1, got C=%s FN=%s kernel %sx%s",
                channels, filters, kh, kw);
        checkArgument((long) filters * channels * kh * kw <= Integer.MAX_VALUE, "Conv2d: too many filter weights");
        return init.create(backend, dtype, Shape.of(filters, channels, kh, kw), channels * kh * kw, random);
    }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(mode, "mode");
        Shape s = x.shape();
        if (s.rank() != 4 || s.dim(1) != geometry.channels() || s.dim(2) != geometry.height()
                || s.dim(3) != geometry.width()) {
            throw new ShapeException(label + ": input " + s + " does not fit; expected (n, " + geometry.channels()
                    + ", " + geometry.height() + ", " + geometry.width() + ")");
        }
        Backend be = x.backend();
        int n = s.dim(0);
        Tensor previous = col;
        col = Buffers.ensure(col, be, x.dtype(), Shape.of(n * positions, geometry.windowSize()));
        if (col != previous || out == null) {
            y2d = be.zeros(x.dtype(), Shape.of(n * positions, filters));
            y3d = y2d.reshape(Shape.of(n, positions, filters));
            out = be.zeros(x.dtype(), Shape.of(n, filters, geometry.outHeight(), geometry.outWidth()));
            out3d = out.reshape(Shape.of(n, filters, positions));
        }
        be.im2col(x, geometry, col);
        be.gemm(false, true, 1.0, col, w2d, 0.0, y2d);
        be.addRow(y2d, bias.value(), y2d);
        be.permute(y3d, SWAP_LAST_TWO, out3d);
        ready = mode == Mode.TRAIN;
        return out;
    }

    @Override
    public Tensor backward(Tensor dout) {
        parameterGradients(dout);
        Backend be = dout.backend();
        dcol = Buffers.ensureLike(dcol, col);
        dx = Buffers.ensure(dx, be, dout.dtype(), Shape.of(out.shape().dim(0), geometry.channels(),
                geometry.height(), geometry.width()));
        be.gemm(false, false, 1.0, dy2d, w2d, 0.0, dcol);
        be.col2im(dcol, geometry, dx);
        return dx;
    }

    /** Adds the parameter gradients and skips the input gradient ({@code dY · W} and col2im). */
    @Override
    public void backwardParameters(Tensor dout) {
        parameterGradients(dout);
    }

    private void parameterGradients(Tensor dout) {
        Gates.checkBackward(label, ready ? out : null, dout);
        Backend be = dout.backend();
        Tensor previous = dy2d;
        dy2d = Buffers.ensureLike(dy2d, y2d);
        if (dy2d != previous) {
            dy3d = dy2d.reshape(y3d.shape());
        }
        be.permute(dout.reshape(out3d.shape()), SWAP_LAST_TWO, dy3d);
        be.sumRows(dy2d, 1.0, bias.grad());
        be.gemm(true, false, 1.0, dy2d, col, 1.0, dw2d);
    }

    /** {@code W} then {@code b}. */
    @Override
    public List<Parameter> parameters() {
        return List.of(weight, bias);
    }

    /**
     * {@code (FN, OH, OW)} for the input {@code (C, H, W)} this layer was built for.
     *
     * @throws ShapeException naming this layer and both shapes for any other input
     */
    @Override
    public Shape outputShape(Shape inputShape) {
        if (!geometry.inputShape().equals(inputShape)) {
            throw new ShapeException(label + ": per-sample input " + inputShape + " does not fit; expected "
                    + geometry.inputShape());
        }
        return Shape.of(filters, geometry.outHeight(), geometry.outWidth());
    }

    /** The filters {@code W}, shape {@code (FN, C, KH, KW)}. */
    public Parameter weight() {
        return weight;
    }

    /** The biases {@code b}, shape {@code (FN)}. */
    public Parameter bias() {
        return bias;
    }

    /** The input size, kernel, stride and padding. */
    public ConvGeometry geometry() {
        return geometry;
    }

    /** {@code FN}: the number of filters (output channels). */
    public int filters() {
        return filters;
    }

    /** {@code Conv2d(C -> FN, KHxKW, stride s, pad p)}. */
    @Override
    public String toString() {
        return label;
    }
}
