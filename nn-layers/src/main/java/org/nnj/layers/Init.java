package org.nnj.layers;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Random;
import org.nnj.api.Backend;
import org.nnj.api.DType;
import org.nnj.api.Shape;
import org.nnj.api.Tensor;

/**
 * Weight initialisers by name (the book's chapter 6.2): every weight is {@code std(fanIn) · N(0, 1)}, drawn row-major
 * from {@link Random#nextGaussian()}.
 * <ul>
 *   <li>{@code normal}: a fixed standard deviation, by default {@value #DEFAULT_STD} (the book's
 *       {@code weight_init_std}).</li>
 *   <li>{@code he}: {@code √(2 / fanIn)} (He et al. 2015), for ReLU networks.</li>
 *   <li>{@code xavier}: {@code √(1 / fanIn)}, <em>as the book defines it</em> for sigmoid and tanh networks. This is
 *       not Glorot and Bengio's {@code √(2 / (fanIn + fanOut))} nor PyTorch's {@code xavier_normal_}.</li>
 * </ul>
 *
 * <p>{@code fanIn} is the number of inputs feeding one output unit: {@code in} for dense weights {@code (in, out)},
 * {@code C · KH · KW} for a convolution kernel {@code (FN, C, KH, KW)}. Callers pass it explicitly, since the layout of
 * a weight tensor does not say which axes are inputs.
 *
 * <pre>{@code
 * Tensor w = Init.byName("he", 0).create(backend, DType.FLOAT32, Shape.of(30, 1, 5, 5), 1 * 5 * 5, random);
 * }</pre>
 *
 * <p>Immutable and thread-safe (the {@link Random} passed in is not). Stability: stable.
 */
public final class Init {
    /** The book's {@code weight_init_std}. */
    public static final double DEFAULT_STD = 0.01;
    /** The names {@link #byName} accepts, in the order the book introduces them. */
    public static final List<String> NAMES = List.of("normal", "he", "xavier");

    private final String name;
    /** The fixed std of {@code normal}; NaN for the fan-in-scaled initialisers. */
    private final double fixedStd;
    /** {@code std = √(gain / fanIn)} for he (2) and xavier (1). */
    private final double gain;

    private Init(String name, double fixedStd, double gain) {
        this.name = name;
        this.fixedStd = fixedStd;
        this.gain = gain;
    }

    /**
     * {@code normal}: weights from {@code N(0, std²)} whatever the fan-in.
     *
     * @throws IllegalArgumentException if {@code std} is negative or not finite
     */
    public static Init normal(double std) {
        checkArgument(Double.isFinite(std) && std >= 0, "init normal: std must be finite and >= 0, got %s", std);
        return new Init("normal", std, Double.NaN);
    }

    /** {@code he}: std {@code √(2 / fanIn)}. */
    public static Init he() {
        return new Init("he", Double.NaN, 2.0);
    }

    /** {@code xavier} as the book defines it: std {@code √(1 / fanIn)}. */
    public static Init xavier() {
        return new Init("xavier", Double.NaN, 1.0);
    }

    /**
     * The initialiser of that name (case-insensitive, surrounding blanks ignored).
     *
     * @param name one of {@link #NAMES}
     * @param std  the standard deviation for {@code normal}; ignored by {@code he} and {@code xavier}
     * @throws IllegalArgumentException naming the known names if {@code name} is unknown, or if {@code normal} is
     *                                  given a negative or non-finite {@code std}
     */
    public static Init byName(String name, double std) {
        Objects.requireNonNull(name, "name");
        switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "normal": return normal(std);
            case "he": return he();
            case "xavier": return xavier();
            default: throw new IllegalArgumentException("unknown init '" + name + "'; known: "
                    + String.join(", ", NAMES));
        }
    }

    /** The lower-case name: {@code normal}, {@code he} or {@code xavier}. */
    public String name() {
        return name;
    }

    /**
     * The standard deviation of weights feeding units with {@code fanIn} inputs.
     *
     * @throws IllegalArgumentException if {@code fanIn < 1}
     */
    public double std(int fanIn) {
        checkArgument(fanIn >= 1, "init %s: fan-in must be at least 1, got %s", name, fanIn);
        return Double.isNaN(fixedStd) ? Math.sqrt(gain / fanIn) : fixedStd;
    }

    /**
     * A new tensor of {@code shape} filled row-major with {@code std(fanIn) · random.nextGaussian()}. For
     * {@code normal} this draws exactly what the book's {@code weight_init_std * np.random.randn(...)} does in order.
     *
     * @throws IllegalArgumentException if {@code fanIn < 1}
     */
    public Tensor create(Backend backend, DType dtype, Shape shape, int fanIn, Random random) {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(dtype, "dtype");
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(random, "random");
        double std = std(fanIn);
        double[] values = new double[shape.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = std * random.nextGaussian();
        }
        return backend.fromArray(dtype, shape, values);
    }

    /** {@code normal(0.01)}, {@code he}, {@code xavier}. */
    @Override
    public String toString() {
        return Double.isNaN(fixedStd) ? name : name + "(" + fixedStd + ")";
    }
}
