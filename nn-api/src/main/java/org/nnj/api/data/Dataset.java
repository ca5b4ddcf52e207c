package org.nnj.api.data;

/**
 * A labelled classification data set with a training and a test split.
 *
 * <p>Stability: stable.
 */
public interface Dataset {

    /** A short description for logs, e.g. {@code mnist (embedded sample)}. */
    String description();

    /** The training split. */
    DataSplit train();

    /** The test split. */
    DataSplit test();
}
