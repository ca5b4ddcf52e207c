package org.nnj.examples;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.Locale;

/**
 * A confusion matrix and what follows from it: per-class precision and recall, accuracy. Rows are true classes,
 * columns predicted ones. Precision of class k is {@code m[k][k] / Σᵢ m[i][k]} (undefined, NaN, if nothing was
 * predicted as k), recall {@code m[k][k] / Σⱼ m[k][j]} (NaN if no sample is of class k). Not thread-safe.
 */
final class Evaluation {
    private final long[][] matrix;
    private long total;
    private long notFinite;
    private int firstNotFinite = -1;

    Evaluation(int classes) {
        checkArgument(classes >= 1, "at least one class, got %s", classes);
        matrix = new long[classes][classes];
    }

    /** Counts one sample of class {@code truth} predicted as {@code predicted}. */
    void add(int truth, int predicted) {
        matrix[truth][predicted]++;
        total++;
    }

    /** Counts sample {@code index} as one whose outputs were not finite: it has no class and is not in the matrix. */
    void addNotFinite(int index) {
        if (notFinite++ == 0) {
            firstNotFinite = index;
        }
    }

    /** Samples whose outputs were not finite. */
    long notFinite() {
        return notFinite;
    }

    /** The index of the first sample whose outputs were not finite, or -1. */
    int firstNotFinite() {
        return firstNotFinite;
    }

    int classes() {
        return matrix.length;
    }

    long count(int truth, int predicted) {
        return matrix[truth][predicted];
    }

    long total() {
        return total;
    }

    long correct() {
        long c = 0;
        for (int k = 0; k < matrix.length; k++) {
            c += matrix[k][k];
        }
        return c;
    }

    /** Samples of class k (the row sum). */
    long support(int k) {
        long s = 0;
        for (long v : matrix[k]) {
            s += v;
        }
        return s;
    }

    /** Samples predicted as k (the column sum). */
    long predicted(int k) {
        long s = 0;
        for (long[] row : matrix) {
            s += row[k];
        }
        return s;
    }

    double precision(int k) {
        long p = predicted(k);
        return p == 0 ? Double.NaN : (double) matrix[k][k] / p;
    }

    double recall(int k) {
        long s = support(k);
        return s == 0 ? Double.NaN : (double) matrix[k][k] / s;
    }

    /** Correct over total; NaN if empty. */
    double accuracy() {
        return total == 0 ? Double.NaN : (double) correct() / total;
    }

    /**
     * The report: a table of precision, recall and support per class with their unweighted means over the classes
     * that have them, the confusion matrix, and last {@code accuracy=A} (four decimals).
     */
    String report() {
        StringBuilder b = new StringBuilder();
        int w = Math.max(5, String.valueOf(matrix.length - 1).length());
        b.append(String.format(Locale.ROOT, "%" + w + "s  %9s  %7s  %7s%n", "class", "precision", "recall", "support"));
        double sumP = 0;
        double sumR = 0;
        int nP = 0;
        int nR = 0;
        for (int k = 0; k < matrix.length; k++) {
            double p = precision(k);
            double r = recall(k);
            if (!Double.isNaN(p)) {
                sumP += p;
                nP++;
            }
            if (!Double.isNaN(r)) {
                sumR += r;
                nR++;
            }
            b.append(String.format(Locale.ROOT, "%" + w + "d  %9s  %7s  %7d%n", k, number(p), number(r), support(k)));
        }
        b.append(String.format(Locale.ROOT, "%" + w + "s  %9s  %7s  %7d%n", "mean", number(nP == 0 ? Double.NaN
                : sumP / nP), number(nR == 0 ? Double.NaN : sumR / nR), total));
        b.append("\nconfusion matrix (rows: true class, columns: predicted class)\n");
        long max = 0;
        for (long[] row : matrix) {
            for (long v : row) {
                max = Math.max(max, v);
            }
        }
        int cw = Math.max(String.valueOf(max).length(), String.valueOf(matrix.length - 1).length());
        b.append(" ".repeat(w));
        for (int k = 0; k < matrix.length; k++) {
            b.append(' ').append(String.format(Locale.ROOT, "%" + cw + "d", k));
        }
        b.append('\n');
        for (int t = 0; t < matrix.length; t++) {
            b.append(String.format(Locale.ROOT, "%" + w + "d", t));
            for (int p = 0; p < matrix.length; p++) {
                b.append(' ').append(String.format(Locale.ROOT, "%" + cw + "d", matrix[t][p]));
            }
            b.append('\n');
        }
        b.append(String.format(Locale.ROOT, "%ncorrect %d of %d%naccuracy=%.4f%n", correct(), total, accuracy()));
        return b.toString();
    }

    private static String number(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.4f", v);
    }
}
