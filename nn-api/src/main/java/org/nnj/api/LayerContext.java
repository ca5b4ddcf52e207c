package org.nnj.api;

import java.util.Objects;
import java.util.Random;

/**
 * What a layer needs to be built: the backend and dtype of its parameters, the per-sample shape of its input (batch
 * axis excluded) and the seeded random generator that initialises its weights.
 *
 * <p>Stability: stable.
 */
public final class LayerContext {
    private final Backend backend;
    private final DType dtype;
    private final Shape inputShape;
    private final Random random;

    /**
     * @param backend    creates the parameters
     * @param dtype      dtype of the parameters
     * @param inputShape per-sample input shape, e.g. {@code (784)}
     * @param random     seeded generator for initial weights; shared along a network so that building is reproducible
     */
    public LayerContext(Backend backend, DType dtype, Shape inputShape, Random random) {
        this.backend = Objects.requireNonNull(backend, "backend");
        this.dtype = Objects.requireNonNull(dtype, "dtype");
        this.inputShape = Objects.requireNonNull(inputShape, "inputShape");
        this.random = Objects.requireNonNull(random, "random");
    }

    /** The backend. */
    public Backend backend() {
        return backend;
    }

    /** The dtype of the parameters. */
    public DType dtype() {
        return dtype;
    }

    /** The per-sample input shape. */
    public Shape inputShape() {
        return inputShape;
    }

    /** The seeded random generator. */
    public Random random() {
        return random;
    }

    /** The same context for the next layer, whose input shape is {@code shape}. */
    public LayerContext withInputShape(Shape shape) {
        return new LayerContext(backend, dtype, shape, random);
    }
}
