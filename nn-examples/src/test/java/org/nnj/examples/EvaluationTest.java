package org.nnj.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Precision, recall, accuracy and the report of {@link Evaluation}, on a confusion matrix counted by hand. */
class EvaluationTest {

    /**
     * 3 classes, 10 samples. True 0: 3 predicted 0, 1 predicted 1. True 1: 2 predicted 1, 2 predicted 2. True 2: 2
     * predicted 2.
     */
    private static Evaluation sample() {
        Evaluation e = new Evaluation(3);
        int[][] pairs = {{0, 0}, {0, 0}, {0, 0}, {0, 1}, {1, 1}, {1, 1}, {1, 2}, {1, 2}, {2, 2}, {2, 2}};
        for (int[] p : pairs) {
            e.add(p[0], p[1]);
        }
        return e;
    }

    @Test
    void precisionRecallAndAccuracyByHand() {
        Evaluation e = sample();
        assertEquals(1.0, e.precision(0));      // 3 / (3)
        assertEquals(2.0 / 3, e.precision(1));  // 2 / (1 + 2)
        assertEquals(0.5, e.precision(2));      // 2 / (2 + 2)
        assertEquals(0.75, e.recall(0));        // 3 / 4
        assertEquals(0.5, e.recall(1));         // 2 / 4
        assertEquals(1.0, e.recall(2));         // 2 / 2
        assertEquals(7, e.correct());
        assertEquals(0.7, e.accuracy());
        assertEquals(2, e.count(1, 2));
    }

    @Test
    void theReportShowsTheTableTheMatrixAndEndsWithTheAccuracy() {
        String expected = String.join("\n",
                "class  precision   recall  support",
                "    0     1.0000   0.7500        4",
                "    1     0.6667   0.5000        4",
                "    2     0.5000   1.0000        2",
                " mean     0.7222   0.7500       10",
                "",
                "confusion matrix (rows: true class, columns: predicted class)",
                "      0 1 2",
                "    0 3 1 0",
                "    1 0 2 2",
                "    2 0 0 2",
                "",
                "correct 7 of 10",
                "accuracy=0.7000",
                "");
        assertEquals(expected, sample().report());
    }

    @Test
    void undefinedValuesAreShownAsADash() {
        Evaluation e = new Evaluation(3);
        e.add(0, 0);
        e.add(0, 1); // nothing of class 1 or 2 is true; nothing is predicted as 2
        String r = e.report();
        assertTrue(r.contains("    1     0.0000        -        0"), r);
        assertTrue(r.contains("    2          -        -        0"), r);
        assertTrue(r.contains(" mean     0.5000   0.5000        2"), r);
        assertTrue(r.endsWith("accuracy=0.5000\n"), r);
        assertEquals(Double.NaN, new Evaluation(2).accuracy());
    }
}
