package org.nnj.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nnj.api.Backend;
import org.nnj.api.DType;
import org.nnj.api.Optimizer;
import org.nnj.api.Shape;
import org.nnj.api.ShapeException;
import org.nnj.api.Tensor;
import org.nnj.api.data.ArraySplit;
import org.nnj.core.cpu.CpuBackend;

/** The in-memory split refuses non-finite data where it enters, naming the sample; it serves batches like any split. */
class ArraySplitTest {
    private final Backend cpu = new CpuBackend(1);

    private static double[] values(int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = i * 0.25 - 1;
        }
        return v;
    }

    @ParameterizedTest
    @ValueSource(doubles = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY})
    void aNonFiniteFeatureIsRefusedNamingTheSampleAndPosition(double bad) {
        double[] x = values(4 * 3);
        x[2 * 3 + 1] = bad;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ArraySplit(Shape.of(3), x, new int[] {0, 1, 0, 1}, 2));
        assertEquals("sample 2: feature 1 of 3 is " + bad + "; expected finite values (no NaN or infinity)",
                e.getMessage());
    }

    @Test
    void theRowsFactoryChecksTooAndTheLastValueIsReached() {
        double[][] rows = {{0, 1}, {2, 3}, {4, Double.NaN}};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ArraySplit.of(rows, new int[] {0, 0, 0}, 1));
        assertEquals("sample 2: feature 1 of 2 is NaN; expected finite values (no NaN or infinity)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> ArraySplit.of(new double[][] {{0, 1}, {2}}, new int[] {0, 0}, 1));
        assertEquals("sample 1 has 1 features, sample 0 has 2", e.getMessage());
    }

    @Test
    void badLabelsAndSizesAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ArraySplit(Shape.of(2), values(4), new int[] {1, 3}, 3));
        assertEquals("sample 1: label 3, expected 0 to 2", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new ArraySplit(Shape.of(2), values(5), new int[] {1, 0}, 3));
        assertEquals("2 samples of (2) need 4 feature values, got 5", e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new ArraySplit(Shape.of(2), values(4), new int[] {-1, 0}, 3));
    }

    @Test
    void aValueBeyondFloat32IsRefusedForAFloat32BatchOnly() {
        double[] x = values(6);
        x[5] = 1e300;
        ArraySplit s = new ArraySplit(Shape.of(3), x, new int[] {0, 1}, 2);
        Tensor f32 = cpu.zeros(DType.FLOAT32, Shape.of(1, 3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> s.gather(new int[] {1}, 0, 1, f32, cpu.zeros(DType.FLOAT32, Shape.of(1))));
        assertTrue(e.getMessage().startsWith("sample 1: feature 2 of 3 is 1.0E300, beyond the range of float32"),
                e.getMessage());
        Tensor f64 = cpu.zeros(DType.FLOAT64, Shape.of(1, 3));
        s.gather(new int[] {1}, 0, 1, f64, cpu.zeros(DType.FLOAT64, Shape.of(1)));
        assertEquals(1e300, f64.get(2), 0.0);
    }

    @Test
    void gathersByIndexIntoIndicesOrOneHotRowsFromACopy() {
        double[] x = values(4 * 2);
        int[] y = {2, 0, 1, 2};
        ArraySplit s = new ArraySplit(Shape.of(1, 2), x, y, 3);
        x[0] = 99;
        y[0] = 0;
        assertEquals(4, s.size());
        assertEquals(Shape.of(1, 2), s.sampleShape());
        assertEquals(2, s.label(0));
        Tensor f = cpu.zeros(DType.FLOAT64, Shape.of(2, 1, 2));
        Tensor t = cpu.zeros(DType.FLOAT64, Shape.of(2));
        s.gather(new int[] {9, 3, 0}, 1, 2, f, t);
        assertArrayEquals(new double[] {0.5, 0.75, -1, -0.75}, f.toDoubleArray(), 0.0);
        assertArrayEquals(new double[] {2, 2}, t.toDoubleArray(), 0.0);
        Tensor oneHot = cpu.zeros(DType.FLOAT64, Shape.of(2, 3));
        s.gather(new int[] {1, 2}, 0, 2, f, oneHot);
        assertArrayEquals(new double[] {1, 0, 0, 0, 1, 0}, oneHot.toDoubleArray(), 0.0);
        assertThrows(IndexOutOfBoundsException.class, () -> s.gather(new int[] {4}, 0, 1,
                cpu.zeros(DType.FLOAT64, Shape.of(1, 2)), cpu.zeros(DType.FLOAT64, Shape.of(1))));
        assertThrows(ShapeException.class, () -> s.gather(new int[] {0}, 0, 1,
                cpu.zeros(DType.FLOAT64, Shape.of(1, 3)), cpu.zeros(DType.FLOAT64, Shape.of(1))));
    }

    @Test
    void aTrainerLearnsFromIt() {
        // the class is 1 when the second feature is larger
        java.util.Random r = new java.util.Random(4);
        double[][] rows = new double[200][2];
        int[] labels = new int[200];
        for (int i = 0; i < rows.length; i++) {
            rows[i][0] = r.nextDouble();
            rows[i][1] = r.nextDouble();
            labels[i] = rows[i][1] > rows[i][0] ? 1 : 0;
        }
        ArraySplit split = ArraySplit.of(rows, labels, 2);
        Tensor w = cpu.fromArray(DType.FLOAT64, Shape.of(2, 2), 0.1, -0.2, 0.3, 0.05);
        Network net = new Network(new Sequential().add("Lin1", new TestLayers.Linear(w, false)),
                new TestLayers.HalfSquared());
        Optimizer sgd = params -> params.forEach(p -> p.value().backend().axpy(-0.5, p.grad(), p.value()));
        List<EpochMetrics> h = Trainer.builder().epochs(20).batchSize(10).seed(1).build().fit(net, sgd, split, split);
        assertTrue(h.get(h.size() - 1).trainAcc() > 0.9, h.toString());
    }
}
