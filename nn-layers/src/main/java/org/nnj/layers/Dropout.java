package org.nnj.layers;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.Map;
import java.util.Objects;
import java.util.Random;
import org.nnj.api.Backend;
import org.nnj.api.DType;
import org.nnj.api.Layer;
import org.nnj.api.Mode;
import org.nnj.api.Shape;
import org.nnj.api.Tensor;

/**
 * Inverted dropout (the book's chapter 6.4, scaled as PyTorch does): in training each element is kept with
 * probability {@code 1 − rate} and scaled by {@code 1 / (1 − rate)}, otherwise zeroed, so that the expected output
 * equals the input and inference is the identity (no rescaling there, unlike the book's {@code Dropout}, which scales
 * by {@code 1 − rate} in inference instead). Backward multiplies {@code dout} by the mask of the last training
 * forward. Any input shape.
 *
 * <p>Masks come from {@link Backend#dropoutMask}, drawing row-major from this layer's own {@link Random}, so a given
 * seed gives the same sequence of masks on any backend and thread count. For a numerical gradient check, which needs
 * the same function on every forward, {@link #freezeMask()} makes training forwards reuse the current mask.
 *
 * <p>A layer made with {@link #Dropout(double, long, Backend, DType)} (as the {@code dropout} provider makes it) keeps
 * its generator's state in a {@link #state() state} tensor {@code rng}: the 48-bit state of {@link Random}'s
 * generator as three 16-bit integers, low first (exact in float32 and float64). The tensor is the truth: each training
 * forward takes the generator's state from it and puts the advanced state back, so a checkpoint saves it with the
 * weights and a resumed run draws exactly the masks an uninterrupted run would have drawn. A layer made with the
 * other constructors has no state (its generator is not saved).
 *
 * <p>Not thread-safe. Stability: stable.
 */
public final class Dropout implements Layer {
    /** The book's and PyTorch's default drop probability. */
    public static final double DEFAULT_RATE = 0.5;

    /** The name of the generator's state tensor. */
    public static final String RNG_STATE = "rng";

    private final double rate;
    private final Random random;
    /** The generator's state as three 16-bit integers, low first, or null if it is not kept. */
    private final Tensor rngState;
    private Tensor mask;
    private Tensor out;
    private Tensor dx;
    private boolean ready;
    private boolean frozen;

    /**
     * @param rate   the probability of dropping an element, in {@code [0, 1)}
     * @param random the generator of the masks, used by this layer alone from now on
     * @throws IllegalArgumentException if {@code rate} is outside {@code [0, 1)}
     */
    public Dropout(double rate, Random random) {
        checkArgument(rate >= 0 && rate < 1, "Dropout: rate must be in [0, 1), got %s", rate);
        this.rate = rate;
        this.random = Objects.requireNonNull(random, "random");
        this.rngState = null;
    }

    /**
     * A layer drawing its masks from {@code new Random(seed)}'s sequence, with the generator's state kept in the
     * {@link #state() state} tensor {@code rng} (shape {@code (3)}, in {@code backend} and {@code dtype}), so that it
     * is saved and restored with the network.
     *
     * @throws IllegalArgumentException if {@code rate} is outside {@code [0, 1)}
     */
    public Dropout(double rate, long seed, Backend backend, DType dtype) {
        checkArgument(rate >= 0 && rate < 1, "Dropout: rate must be in [0, 1), got %s", rate);
        this.rate = rate;
        Lcg48Random lcg = new Lcg48Random(seed);
        this.random = lcg;
        this.rngState = Objects.requireNonNull(backend, "backend").zeros(Objects.requireNonNull(dtype, "dtype"),
                Shape.of(3));
        writeState(lcg.state());
    }

    /** A layer drawing its masks from {@code new Random(seed)}. */
    public Dropout(double rate, long seed) {
        this(rate, new Random(seed));
    }

    /** The probability of dropping an element. */
    public double rate() {
        return rate;
    }

    /**
     * {@code rng}: the mask generator's state (see the class comment), if this layer keeps it; otherwise empty.
     * Live: copying saved values into it restores the generator.
     */
    @Override
    public Map<String, Tensor> state() {
        return rngState == null ? Map.of() : Map.of(RNG_STATE, rngState);
    }

    private void writeState(long s) {
        for (int i = 0; i < 3; i++) {
            rngState.set(i, (s >>> (16 * i)) & 0xFFFF);
        }
    }

    private long readState() {
        long s = 0;
        for (int i = 0; i < 3; i++) {
            s |= ((long) rngState.get(i) & 0xFFFF) << (16 * i);
        }
        return s;
    }

    /**
     * From now on, training forwards reuse the current mask instead of drawing a new one (the first training forward
     * draws it if there is none yet). For gradient checks. A frozen mask must fit every later input.
     *
     * @return this layer
     */
    public Dropout freezeMask() {
        frozen = true;
        return this;
    }

    /** Training forwards draw a fresh mask again (the default). */
    public void unfreezeMask() {
        frozen = false;
    }

    /** True if training forwards reuse the current mask. */
    public boolean maskFrozen() {
        return frozen;
    }

    /**
     * The mask of the last training forward: {@code 0} or {@code 1 / (1 − rate)} per element, owned by this layer;
     * null before the first training forward.
     */
    public Tensor mask() {
        return mask;
    }

    /**
     * Training: {@code x · mask} with a fresh mask (or the frozen one). Inference: a copy of {@code x}.
     *
     * @throws org.nnj.api.ShapeException if the mask is frozen and {@code x} has another shape than the mask
     */
    @Override
    public Tensor forward(Tensor x, Mode mode) {
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(mode, "mode");
        Backend be = x.backend();
        out = Buffers.ensureLike(out, x);
        if (mode == Mode.INFERENCE) {
            be.copy(x, out);
            ready = false;
            return out;
        }
        if (!frozen || mask == null) {
            mask = Buffers.ensureLike(mask, x);
            if (rngState != null) {
                Lcg48Random lcg = (Lcg48Random) random;
                lcg.setState(readState());
                be.dropoutMask(mask, 1 - rate, lcg);
                writeState(lcg.state());
            } else {
                be.dropoutMask(mask, 1 - rate, random);
            }
        } else if (!mask.shape().equals(x.shape())) {
            throw new org.nnj.api.ShapeException("Dropout: input " + x.shape() + " does not fit the frozen mask "
                    + mask.shape());
        }
        be.mul(x, mask, out);
        ready = true;
        return out;
    }

    /** {@code dout · mask} for the mask of the last training forward. */
    @Override
    public Tensor backward(Tensor dout) {
        Gates.checkBackward(toString(), ready ? out : null, dout);
        dx = Buffers.ensureLike(dx, dout);
        dout.backend().mul(dout, mask, dx);
        return dx;
    }

    /** The input shape itself. */
    @Override
    public Shape outputShape(Shape inputShape) {
        return Objects.requireNonNull(inputShape, "inputShape");
    }

    /** {@code Dropout(rate)}. */
    @Override
    public String toString() {
        return "Dropout(" + rate + ")";
    }
}
