package org.nnj.layers;

import java.util.Random;

/**
 * {@link Random}'s own 48-bit linear congruential generator with its state in the open: for a given seed it yields
 * exactly the numbers {@code new Random(seed)} yields through {@link #next(int)} (nextInt, nextLong, nextDouble,
 * nextFloat, nextBoolean, nextBytes), and {@link #state()} / {@link #setState(long)} read and restore the generator
 * exactly, so that a checkpoint can hold it. {@link #nextGaussian()} keeps no second value in reserve (unlike
 * {@code Random}'s), so that the 48-bit state is all there is. Not thread-safe.
 */
final class Lcg48Random extends Random {
    private static final long serialVersionUID = 1L;
    private static final long MULTIPLIER = 0x5DEECE66DL;
    private static final long ADDEND = 0xBL;
    private static final long MASK = (1L << 48) - 1;

    /** Not initialised in its declaration: {@code Random}'s constructor sets it through {@link #setSeed}. */
    private long state;

    Lcg48Random(long seed) {
        super(seed);
    }

    /** As {@link Random#setSeed}: the state becomes {@code (seed ^ 0x5DEECE66D) mod 2^48}. */
    @Override
    public void setSeed(long seed) {
        state = (seed ^ MULTIPLIER) & MASK;
    }

    /** The 48-bit state, in {@code [0, 2^48)}. */
    long state() {
        return state;
    }

    /** Restores a state returned by {@link #state()} (the low 48 bits are used). */
    void setState(long s) {
        state = s & MASK;
    }

    @Override
    protected int next(int bits) {
        state = (state * MULTIPLIER + ADDEND) & MASK;
        return (int) (state >>> (48 - bits));
    }

    /** The polar method, as {@link Random#nextGaussian()}, but the second value of each pair is dropped. */
    @Override
    public double nextGaussian() {
        double v1;
        double v2;
        double s;
        do {
            v1 = 2 * nextDouble() - 1;
            v2 = 2 * nextDouble() - 1;
            s = v1 * v1 + v2 * v2;
        } while (s >= 1 || s == 0);
        return v1 * StrictMath.sqrt(-2 * StrictMath.log(s) / s);
    }
}
