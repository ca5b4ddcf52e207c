package org.nnj.api;

/**
 * Training produced a non-finite loss or gradient. The message names the step and, where known, the first parameter
 * that went non-finite, and suggests a lower learning rate.
 *
 * <p>Stability: stable.
 */
public class TrainingDivergedException extends NnjException {
    private static final long serialVersionUID = 1L;

    /** @param message one line naming the step and what went non-finite */
    public TrainingDivergedException(String message) {
        super(message);
    }
}
