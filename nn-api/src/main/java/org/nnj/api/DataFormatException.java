package org.nnj.api;

/**
 * A data file is missing, truncated, corrupt or inconsistent (wrong magic number, counts that disagree, a label out of
 * range...). The message names the file (or class-path resource) and what was expected versus what was found.
 *
 * <p>Stability: stable.
 */
public class DataFormatException extends NnjException {
    private static final long serialVersionUID = 1L;

    /** @param message one line naming the file, what was expected and what was found */
    public DataFormatException(String message) {
        super(message);
    }

    /**
     * @param message one line naming the file, what was expected and what was found
     * @param cause   the underlying I/O failure, or null
     */
    public DataFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
