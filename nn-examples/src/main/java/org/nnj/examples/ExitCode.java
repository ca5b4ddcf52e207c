package org.nnj.examples;

/** The exit codes of {@code nnj}. */
final class ExitCode {
    /** Success. */
    static final int OK = 0;
    /** A check failed (gradient check, training diverged) or an internal error. */
    static final int FAILED = 1;
    /** Bad usage or bad input: unknown option, malformed value, missing or corrupt data, unknown provider name. */
    static final int BAD_INPUT = 2;

    private ExitCode() {
    }
}
