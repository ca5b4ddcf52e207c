package org.nnj.layers;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.List;
import java.util.Objects;
import java.util.Random;
import org.nnj.api.Backend;
import org.nnj.api.DType;
import org.nnj.api.Layer;
import org.nnj.api.Mode;
import org.nnj.api.Parameter;
import org.nnj.api.Shape;
import org.nnj.api.ShapeException;
import org.nnj.api.Tensor;

/**
 * The fully connected layer {@code Y = X·W + b}.
 *
 * <p>Shapes: {@code W} is {@code (in, out)}, {@code b} is {@code (out)}. The input is a batch {@code (n, ...)} whose
 * per-sample size is {@code in}; it is seen as an {@code (n, in)} matrix through a reshape view (nothing is copied).
 * The output is {@code (n, out)}. Backward returns {@code dX = dY·Wᵀ} in the shape of the input, and adds
 * {@code Xᵀ·dY} into {@code W}'s gradient and the column sums of {@code dY} into {@code b}'s gradient.
 *
 * <p>Forward keeps a reference to its input for backward (as the book does): do not modify it before calling
 * backward. Output and input-gradient buffers are reused while the input shape stays the same. Not thread-safe.
 * Stability: stable.
 */
public final class Affine implements Layer {
    private final Parameter weight;
    private final Parameter bias;
    private final int inputSize;
    private final int outputSize;
    private final String label;

    private Tensor out;
    private Tensor dx;
    /** The last training-mode input as an (n, in) view, or null if backward may not run. */
    private Tensor x2d;
    private Shape inputShape;

    /**
     * A layer with weights drawn from {@code N(0, weightStd²)} (the book's {@code weight_init_std · randn}, filled
     * row-major from {@code random.nextGaussian()}) and zero biases.
     *
     * @param backend    creates the parameters
     * @param dtype      dtype of the parameters
     * @param inputSize  {@code in}, the per-sample input size, at least 1
     * @param outputSize {@code out}, the number of units, at least 1
     * @param random     seeded generator for the weights
     * @param weightStd  standard deviation of the weights, finite and not negative (the book uses 0.01)
     * @throws IllegalArgumentException if a size or the standard deviation is out of range
     */
    public Affine(Backend backend, DType dtype, int inputSize, int outputSize, Random random, double weightStd) {
        this(initialWeights(backend, dtype, inputSize, outputSize, random, weightStd),
                Objects.requireNonNull(backend, "backend").zeros(dtype, Shape.of(outputSize)));
    }

    /**
     * A layer whose parameters are the given tensors themselves (not copies): training updates them in place.
     *
     * @param w weights, shape {@code (in, out)}
     * @param b biases, shape {@code (out)}, same backend and dtype as {@code w}
     * @throws ShapeException if the shapes do not fit together
     * @throws IllegalArgumentException if the backends or dtypes differ
     */
    public Affine(Tensor w, Tensor b) {
        Objects.requireNonNull(w, "w");
        Objects.requireNonNull(b, "b");
        if (w.shape().rank() != 2 || b.shape().rank() != 1 || b.shape().dim(0) != w.shape().dim(1)) {
            throw new ShapeException("Affine: W " + w.shape() + " and b " + b.shape()
                    + " do not fit; expected W (in, out) and b (out)");
        }
        checkArgument(w.backend() == b.backend(), "Affine: W and b belong to different backends");
        checkArgument(w.dtype() == b.dtype(), "Affine: W is %s but b is %s", w.dtype(), b.dtype());
        this.inputSize = w.shape().dim(0);
        this.outputSize = w.shape().dim(1);
        checkArgument(inputSize > 0 && outputSize > 0, "Affine: W %s has an empty dimension", w.shape());
        this.weight = new Parameter("W", w);
        this.bias = new Parameter("b", b);
        this.label = "Affine(" + inputSize + " -> " + outputSize + ")";
    }

    private static Tensor initialWeights(Backend backend, DType dtype, int in, int out, Random random, double std) {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(dtype, "dtype");
        Objects.requireNonNull(random, "random");
        checkArgument(in > 0, "Affine: input size must be at least 1, got %s", in);
        checkArgument(out > 0, "Affine: output size must be at least 1, got %s", out);
        checkArgument(Double.isFinite(std) && std >= 0, "Affine: weight std must be finite and >= 0, got %s", std);
        checkArgument((long) in * out <= Integer.MAX_VALUE, "Affine: %s x %s weights are too many", in, out);
        double[] values = new double[in * out];
        for (int i = 0; i < values.length; i++) {
            values[i] = std * random.nextGaussian();
        }
        return backend.fromArray(dtype, Shape.of(in, out), values);
    }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(mode, "mode");
        Shape shape = x.shape();
        if (shape.rank() < 2 || shape.rowSize() != inputSize) {
            throw new ShapeException(label + ": input " + shape + " does not fit; expected (n, " + inputSize
                    + ") or any (n, ...) with " + inputSize + " elements per sample");
        }
        Backend be = x.backend();
        int n = shape.dim(0);
        Tensor view = shape.rank() == 2 ? x : x.reshape(Shape.of(n, inputSize));
        if (out == null || out.backend() != be || out.dtype() != x.dtype() || out.shape().dim(0) != n) {
            // only when the batch size changes: a Shape per call would be the step's only allocation here
            out = be.zeros(x.dtype(), Shape.of(n, outputSize));
        }
        be.gemm(false, false, 1.0, view, weight.value(), 0.0, out);
        be.addRow(out, bias.value(), out);
        if (mode == Mode.TRAIN) {
            x2d = view;
            inputShape = shape;
        } else {
            x2d = null;
        }
        return out;
    }

    @Override
    public Tensor backward(Tensor dout) {
        Gates.checkBackward(label, x2d == null ? null : out, dout);
        Backend be = dout.backend();
        dx = Buffers.ensure(dx, be, dout.dtype(), inputShape);
        Tensor dx2d = inputShape.rank() == 2 ? dx : dx.reshape(x2d.shape());
        be.gemm(false, true, 1.0, dout, weight.value(), 0.0, dx2d);
        backwardParameters(dout);
        return dx;
    }

    /** Adds the parameter gradients and skips {@code dX = dY·Wᵀ}, which the first layer of a network never needs. */
    @Override
    public void backwardParameters(Tensor dout) {
        Gates.checkBackward(label, x2d == null ? null : out, dout);
        Backend be = dout.backend();
        be.gemm(true, false, 1.0, x2d, dout, 1.0, weight.grad());
        be.sumRows(dout, 1.0, bias.grad());
    }

    /** {@code W} then {@code b}. */
    @Override
    public List<Parameter> parameters() {
        return List.of(weight, bias);
    }

    /**
     * {@code (out)} for any per-sample input shape of {@code in} elements.
     *
     * @throws ShapeException naming this layer and both shapes otherwise
     */
    @Override
    public Shape outputShape(Shape inputShape) {
        if (inputShape.size() != inputSize) {
            throw new ShapeException(label + ": per-sample input " + inputShape + " has " + inputShape.size()
                    + " elements; expected (" + inputSize + ")");
        }
        return Shape.of(outputSize);
    }

    /** The weights {@code W}, shape {@code (in, out)}. */
    public Parameter weight() {
        return weight;
    }

    /** The biases {@code b}, shape {@code (out)}. */
    public Parameter bias() {
        return bias;
    }

    /** {@code in}: the per-sample input size. */
    public int inputSize() {
        return inputSize;
    }

    /** {@code out}: the number of units. */
    public int outputSize() {
        return outputSize;
    }

    /** {@code Affine(in -> out)}. */
    @Override
    public String toString() {
        return label;
    }
}
