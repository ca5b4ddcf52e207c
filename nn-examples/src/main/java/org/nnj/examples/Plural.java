package org.nnj.examples;

/** Counts in messages: "1 epoch", "2 epochs". */
final class Plural {
    private Plural() {
    }

    /** {@code n} and the noun, with an s unless {@code n} is 1 (the nouns used take a plain s). */
    static String of(long n, String noun) {
        return n + " " + (n == 1 ? noun : noun + "s");
    }
}
