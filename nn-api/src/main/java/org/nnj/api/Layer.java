package org.nnj.api;

import java.util.List;
import java.util.Map;

/**
 * One node of a network: {@code forward} maps a batch to a batch, {@code backward} maps the gradient of the loss with
 * respect to the output to the gradient with respect to the input.
 *
 * <p>The contract every layer keeps:
 * <ul>
 *   <li>{@code forward} caches exactly what {@code backward} needs (ReLU its input, Sigmoid its output, Affine its
 *       input) and returns a tensor the layer owns and reuses; it never modifies {@code x}.</li>
 *   <li>{@code backward} returns the input gradient and <em>adds</em> the parameter gradients into
 *       {@link Parameter#grad()}; it never modifies {@code dout}.</li>
 *   <li>{@code backward} before a training-mode {@code forward} throws {@link IllegalStateException}.</li>
 *   <li>Both compute through {@link Tensor#backend()}, never through private loops over elements.</li>
 * </ul>
 *
 * <p>Layers are not thread-safe: their caches belong to one forward/backward pair at a time. Stability: stable.
 */
public interface Layer {

    /**
     * The forward pass.
     *
     * @param x    a batch, shape {@code (n, ...)} where {@code ...} is the per-sample input shape
     * @param mode training (caches kept, stochastic layers active) or inference
     * @return the output batch, owned by this layer and overwritten by its next call
     * @throws ShapeException if {@code x} does not fit the layer
     */
    Tensor forward(Tensor x, Mode mode);

    /**
     * The backward pass for the most recent training-mode {@link #forward}.
     *
     * @param dout gradient of the loss with respect to the last output, same shape
     * @return gradient with respect to the last input, owned by this layer
     * @throws IllegalStateException if no training-mode forward came before
     */
    Tensor backward(Tensor dout);

    /**
     * Backward when nobody needs the input gradient (the first layer of a network): adds the parameter gradients
     * exactly as {@link #backward} does, and may skip computing the input gradient, which for a first
     * {@code Affine} layer is as much work as its forward pass. By default it calls {@link #backward}.
     *
     * @throws IllegalStateException if no training-mode forward came before
     */
    default void backwardParameters(Tensor dout) {
        backward(dout);
    }

    /** The trainable parameters under local names ({@code W}, {@code b}), in a stable order; empty if none. */
    default List<Parameter> parameters() {
        return List.of();
    }

    /**
     * Non-trainable tensors that belong to the layer's learned state and must be saved with it, under local names in
     * a stable order: BatchNorm's {@code running_mean} and {@code running_var}, say. No optimizer touches them.
     *
     * <p>The tensors are the layer's live ones, not copies: a loader restores the state by copying saved values into
     * them ({@link Backend#copy}), so a layer must keep using the same tensor objects. Names follow the rules of
     * parameter names (no dot) and differ from the layer's parameter names. Empty by default.
     *
     * @return local name → live tensor, never null
     */
    default Map<String, Tensor> state() {
        return Map.of();
    }

    /**
     * The per-sample output shape for a per-sample input shape (batch axis excluded), used to check a network before
     * it runs.
     *
     * @throws ShapeException naming the layer and both shapes if the input does not fit
     */
    Shape outputShape(Shape inputShape);
}
