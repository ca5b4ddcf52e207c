package org.nnj.api;

/**
 * Two shapes that had to fit did not. The message names the layer or operation and both shapes.
 *
 * <p>Stability: stable.
 */
public class ShapeException extends NnjException {
    private static final long serialVersionUID = 1L;

    /** @param message one line naming what was expected and what was found */
    public ShapeException(String message) {
        super(message);
    }
}
