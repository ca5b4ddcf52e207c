package org.nnj.api;

/**
 * Base class of nnj's unchecked exceptions. Every message is one line that names the thing at fault and what was
 * expected, so that a command-line tool can print it as it is.
 *
 * <p>Stability: stable.
 */
public class NnjException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message one line naming the thing at fault and what was expected */
    public NnjException(String message) {
        super(message);
    }

    /**
     * @param message one line naming the thing at fault and what was expected
     * @param cause   the underlying failure, or null
     */
    public NnjException(String message, Throwable cause) {
        super(message, cause);
    }
}
