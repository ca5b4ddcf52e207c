package org.nnj.api;

/**
 * No provider of the requested kind has the requested name. The message lists the names that are known.
 *
 * <p>Stability: stable.
 */
public class UnknownProviderException extends NnjException {
    private static final long serialVersionUID = 1L;

    /** @param message one line naming the kind, the unknown name and the known names */
    public UnknownProviderException(String message) {
        super(message);
    }
}
