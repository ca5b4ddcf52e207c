package org.nnj.api;

import java.util.Objects;

/**
 * A named, trainable value together with its gradient, of the same shape and dtype. Layers name their parameters
 * locally ({@code W}, {@code b}); a network exposes them under qualified names ({@code Affine1.W}). Backward passes
 * <em>add</em> into {@link #grad()}; the gradient is zeroed once per step with {@link #zeroGrad()}.
 *
 * <p>Stability: stable.
 */
public final class Parameter {
    private final String name;
    private final Tensor value;
    private final Tensor grad;

    /**
     * @param name  local or qualified name, not empty
     * @param value the value; its gradient tensor is created by the same backend, filled with zeros
     */
    public Parameter(String name, Tensor value) {
        this(name, value, value.backend().zerosLike(value));
    }

    private Parameter(String name, Tensor value, Tensor grad) {
        if (Objects.requireNonNull(name, "name").isEmpty()) {
            throw new IllegalArgumentException("a parameter needs a name");
        }
        if (!value.shape().equals(grad.shape()) || value.dtype() != grad.dtype()) {
            throw new ShapeException("parameter " + name + ": gradient " + grad.shape() + " " + grad.dtype()
                    + " does not match value " + value.shape() + " " + value.dtype());
        }
        this.name = name;
        this.value = value;
        this.grad = grad;
    }

    /** The same value and gradient tensors under another name (used to qualify {@code W} as {@code Affine1.W}). */
    public Parameter withName(String newName) {
        return new Parameter(newName, value, grad);
    }

    /** The name. */
    public String name() {
        return name;
    }

    /** The value, updated in place by optimizers. */
    public Tensor value() {
        return value;
    }

    /** The accumulated gradient of the loss with respect to {@link #value()}. */
    public Tensor grad() {
        return grad;
    }

    /** Sets the gradient to zero. */
    public void zeroGrad() {
        grad.backend().fill(grad, 0);
    }

    @Override
    public String toString() {
        return name + value.shape();
    }
}
