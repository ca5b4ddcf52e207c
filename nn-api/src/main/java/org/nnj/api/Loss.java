package org.nnj.api;

/**
 * The last node of a network: a scalar loss of the scores against the targets, and its gradient.
 *
 * <p>Stability: stable.
 */
public interface Loss {

    /**
     * Computes the loss and caches what {@link #backward()} needs.
     *
     * @param scores the network's output, usually {@code (n, c)}; each loss documents the shapes it accepts
     * @param target class indices {@code (n)} or a target per score {@code (n, c)}, as the loss documents
     * @return the loss averaged over the batch
     * @throws ShapeException if the shapes do not fit or a class index is out of range
     */
    double forward(Tensor scores, Tensor target);

    /**
     * The gradient of the loss returned by the last {@link #forward} with respect to {@code scores} (the book's
     * {@code backward(dout=1)}), owned by this loss and overwritten by its next call.
     *
     * @throws IllegalStateException if {@link #forward} was not called first
     */
    Tensor backward();
}
