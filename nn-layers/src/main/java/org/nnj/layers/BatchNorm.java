package org.nnj.layers;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.nnj.api.Backend;
import org.nnj.api.DType;
import org.nnj.api.Layer;
import org.nnj.api.Mode;
import org.nnj.api.Parameter;
import org.nnj.api.Shape;
import org.nnj.api.ShapeException;
import org.nnj.api.Tensor;

/**
 * Batch normalisation (the book's chapter 6.3; Ioffe and Szegedy 2015): {@code y = gamma · (x − mean) / √(var + eps)
 * + beta}, with statistics per feature for dense input {@code (n, d)} and per channel for images {@code (n, C, H, W)}
 * (over {@code n · H · W} values). In general the input is {@code (n, C, …)} and axis 1 holds the channels.
 *
 * <p>Conventions, chosen to match PyTorch's {@code BatchNorm1d/2d} (the book's differ only where noted):
 * <ul>
 *   <li>{@code eps} defaults to {@value #DEFAULT_EPS} (PyTorch; the book uses {@code 1e-7}).</li>
 *   <li>Training normalises with the batch mean and the <em>biased</em> batch variance (divided by the count).</li>
 *   <li>Training then updates {@code running = momentum · running + (1 − momentum) · batch}, with
 *       {@code momentum} {@value #DEFAULT_MOMENTUM} as in the book (PyTorch's {@code momentum=0.1} is the same
 *       update written the other way round); the running variance takes the <em>unbiased</em> batch variance
 *       (PyTorch; the book takes the biased one).</li>
 *   <li>The running mean starts at 0 and the running variance at 1 (PyTorch; the book starts both at 0).</li>
 *   <li>Inference normalises with the running statistics and leaves them unchanged.</li>
 *   <li>Training needs at least two values per channel, so a dense batch of one is refused (as PyTorch does);
 *       inference accepts it.</li>
 * </ul>
 *
 * <p>Parameters: {@code gamma} (ones) and {@code beta} (zeros), shape {@code (C)}. The running statistics are state,
 * not parameters: no optimizer touches them; see {@link #runningMean()} and {@link #runningVar()}, saved through
 * {@link #state()}. Not thread-safe.
 * Stability: stable.
 */
public final class BatchNorm implements Layer {
    /** The book's momentum of the running statistics. */
    public static final double DEFAULT_MOMENTUM = 0.9;
    /** PyTorch's eps (the book uses 1e-7). */
    public static final double DEFAULT_EPS = 1e-5;

    private final int channels;
    private final double momentum;
    private final double eps;
    private final Parameter gamma;
    private final Parameter beta;
    private final Tensor runningMean;
    private final Tensor runningVar;
    private final Tensor invStd;
    private final String label;

    private Tensor xhat;
    private Tensor out;
    private Tensor dx;
    private boolean ready;

    /** A layer with the default momentum {@value #DEFAULT_MOMENTUM} and eps {@value #DEFAULT_EPS}. */
    public BatchNorm(Backend backend, DType dtype, int channels) {
        this(backend, dtype, channels, DEFAULT_MOMENTUM, DEFAULT_EPS);
    }

    /**
     * @param backend  creates the parameters and the running statistics
     * @param dtype    their dtype
     * @param channels features of a dense input, or channels of an image (axis 1 of the input), at least 1
     * @param momentum weight of the old running statistics, in {@code [0, 1]}
     * @param eps      added to the variance, finite and {@code > 0}
     * @throws IllegalArgumentException if an argument is out of range
     */
    public BatchNorm(Backend backend, DType dtype, int channels, double momentum, double eps) {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(dtype, "dtype");
        checkArgument(channels >= 1, "BatchNorm: channels must be at least 1, got %s", channels);
        checkArgument(momentum >= 0 && momentum <= 1, "BatchNorm: momentum must be in [0, 1], got %s", momentum);
        checkArgument(eps > 0 && Double.isFinite(eps), "BatchNorm: eps must be finite and > 0, got %s", eps);
        this.channels = channels;
        this.momentum = momentum;
        this.eps = eps;
        Tensor ones = backend.zeros(dtype, Shape.of(channels));
        backend.fill(ones, 1);
        this.gamma = new Parameter("gamma", ones);
        this.beta = new Parameter("beta", backend.zeros(dtype, Shape.of(channels)));
        this.runningMean = backend.zeros(dtype, Shape.of(channels));
        this.runningVar = backend.zeros(dtype, Shape.of(channels));
        backend.fill(runningVar, 1);
        this.invStd = backend.zeros(dtype, Shape.of(channels));
        this.label = "BatchNorm(" + channels + ")";
    }

    /**
     * @param x {@code (n, C, …)} with {@code C = channels}: {@code (n, d)} or {@code (n, C, H, W)}
     * @throws ShapeException if axis 1 of {@code x} is not {@code channels}, or, in training, there are fewer than
     *                        two values per channel
     */
    @Override
    public Tensor forward(Tensor x, Mode mode) {
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(mode, "mode");
        Shape shape = x.shape();
        if (shape.rank() < 2 || shape.dim(1) != channels) {
            throw new ShapeException(label + ": input " + shape + " does not fit; expected (n, " + channels
                    + ") or (n, " + channels + ", ...)");
        }
        Backend be = x.backend();
        boolean training = mode == Mode.TRAIN;
        ready = false;
        xhat = Buffers.ensureLike(xhat, x);
        out = Buffers.ensureLike(out, x);
        be.batchNormForward(x, channels, gamma.value(), beta.value(), runningMean, runningVar, momentum, eps,
                training, xhat, invStd, out);
        ready = training;
        return out;
    }

    /**
     * Adds {@code Σ dout·xhat} into {@code gamma}'s gradient and {@code Σ dout} into {@code beta}'s (per channel),
     * and returns the input gradient through the batch statistics.
     */
    @Override
    public Tensor backward(Tensor dout) {
        Gates.checkBackward(label, ready ? out : null, dout);
        dx = Buffers.ensureLike(dx, dout);
        dout.backend().batchNormBackward(dout, xhat, invStd, gamma.value(), channels, gamma.grad(), beta.grad(), dx);
        return dx;
    }

    /** {@code gamma} then {@code beta}. */
    @Override
    public List<Parameter> parameters() {
        return List.of(gamma, beta);
    }

    /** {@code running_mean} then {@code running_var}: the live running statistics, saved with the weights. */
    @Override
    public Map<String, Tensor> state() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("running_mean", runningMean);
        m.put("running_var", runningVar);
        return Collections.unmodifiableMap(m);
    }

    /**
     * The input shape itself.
     *
     * @throws ShapeException if its first axis is not {@code channels}
     */
    @Override
    public Shape outputShape(Shape inputShape) {
        Objects.requireNonNull(inputShape, "inputShape");
        if (inputShape.rank() < 1 || inputShape.dim(0) != channels) {
            throw new ShapeException(label + ": per-sample input " + inputShape + " does not fit; expected ("
                    + channels + ") or (" + channels + ", ...)");
        }
        return inputShape;
    }

    /** The scale {@code gamma}, shape {@code (C)}, initially ones. */
    public Parameter gamma() {
        return gamma;
    }

    /** The shift {@code beta}, shape {@code (C)}, initially zeros. */
    public Parameter beta() {
        return beta;
    }

    /** The running mean, shape {@code (C)}: live state, updated in place by training forwards. */
    public Tensor runningMean() {
        return runningMean;
    }

    /** The running (unbiased) variance, shape {@code (C)}: live state, updated in place by training forwards. */
    public Tensor runningVar() {
        return runningVar;
    }

    /** Features or channels. */
    public int channels() {
        return channels;
    }

    /** Weight of the old running statistics. */
    public double momentum() {
        return momentum;
    }

    /** Added to the variance. */
    public double eps() {
        return eps;
    }

    /** {@code BatchNorm(C)}. */
    @Override
    public String toString() {
        return label;
    }
}
