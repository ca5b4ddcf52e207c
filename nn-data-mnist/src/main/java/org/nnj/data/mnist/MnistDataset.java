package org.nnj.data.mnist;

import java.util.Objects;
import org.nnj.api.data.DataSplit;
import org.nnj.api.data.Dataset;

/**
 * A data set of a training and a test {@link DataSplit}, with a description for logs. Immutable.
 * Stability: evolving.
 */
public final class MnistDataset implements Dataset {
    private final String description;
    private final DataSplit train;
    private final DataSplit test;

    /**
     * @param description e.g. {@code mnist (embedded sample)}
     * @param train       the training split
     * @param test        the test split
     */
    public MnistDataset(String description, DataSplit train, DataSplit test) {
        this.description = Objects.requireNonNull(description, "description");
        this.train = Objects.requireNonNull(train, "train");
        this.test = Objects.requireNonNull(test, "test");
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public DataSplit train() {
        return train;
    }

    @Override
    public DataSplit test() {
        return test;
    }

    @Override
    public String toString() {
        return description + ": train " + train.size() + ", test " + test.size();
    }
}
