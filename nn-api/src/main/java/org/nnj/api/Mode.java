package org.nnj.api;

/**
 * Whether a forward pass is part of training (dropout active, batch-norm statistics updated, caches kept for backward)
 * or of inference.
 *
 * <p>Stability: stable.
 */
public enum Mode {
    /** Training: caches what backward needs; stochastic layers are active. */
    TRAIN,
    /** Inference: deterministic; backward is not expected to follow. */
    INFERENCE
}
