package org.nnj.examples;

import org.nnj.api.Shape;
import org.nnj.api.Tensor;
import org.nnj.api.data.DataSplit;

/** The first {@code limit} samples of a split ({@code --train-limit}). */
final class LimitedSplit implements DataSplit {
    private final DataSplit split;
    private final int size;

    private LimitedSplit(DataSplit split, int limit) {
        this.split = split;
        this.size = Math.min(limit, split.size());
    }

    /** {@code split} itself if it holds at most {@code limit} samples, else a view of its first {@code limit}. */
    static DataSplit of(DataSplit split, int limit) {
        return limit >= split.size() ? split : new LimitedSplit(split, limit);
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public Shape sampleShape() {
        return split.sampleShape();
    }

    @Override
    public int numClasses() {
        return split.numClasses();
    }

    @Override
    public int label(int i) {
        check(i);
        return split.label(i);
    }

    @Override
    public void gather(int[] indices, int from, int count, Tensor features, Tensor targets) {
        for (int k = from; k < from + count; k++) {
            check(indices[k]);
        }
        split.gather(indices, from, count, features, targets);
    }

    private void check(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException("sample " + i + " is outside the first " + size);
        }
    }
}
