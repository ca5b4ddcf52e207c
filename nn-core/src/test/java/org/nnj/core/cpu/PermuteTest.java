package org.nnj.core.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.nnj.api.DType;
import org.nnj.api.Shape;
import org.nnj.api.ShapeException;
import org.nnj.api.Tensor;

class PermuteTest {
    private static final CpuBackend ONE = new CpuBackend(1);
    private static final CpuExecutor THREE = new CpuExecutor(3);
    private static final DType F64 = DType.FLOAT64;

    @AfterAll
    static void close() {
        ONE.close();
        THREE.shutdown();
    }

    /** out[i₀, …] = x[j] where x's index along axis axes[k] is iₖ: computed element by element from strides. */
    static double[] naive(double[] x, int[] dims, int[] axes) {
        int rank = dims.length;
        int[] xStride = new int[rank];
        for (int i = rank - 1, s = 1; i >= 0; i--) {
            xStride[i] = s;
            s *= dims[i];
        }
        int[] od = new int[rank];
        for (int k = 0; k < rank; k++) {
            od[k] = dims[axes[k]];
        }
        double[] out = new double[x.length];
        int[] idx = new int[rank];
        for (int o = 0; o < out.length; o++) {
            int rest = o;
            for (int k = rank - 1; k >= 0; k--) {
                idx[k] = rest % od[k];
                rest /= od[k];
            }
            int src = 0;
            for (int k = 0; k < rank; k++) {
                src += idx[k] * xStride[axes[k]];
            }
            out[o] = x[src];
        }
        return out;
    }

    static Tensor sequence(DType dtype, int... dims) {
        Shape shape = Shape.of(dims);
        double[] v = new double[shape.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = i + 0.5;
        }
        return ONE.fromArray(dtype, shape, v);
    }

    static Shape permuted(int[] dims, int[] axes) {
        int[] od = new int[dims.length];
        for (int k = 0; k < dims.length; k++) {
            od[k] = dims[axes[k]];
        }
        return Shape.of(od);
    }

    @Test
    void convolutionsLayoutSwapMatchesHandValues() {
        // (n=1, p=2, f=3) → (1, 3, 2)
        Tensor x = ONE.fromArray(F64, Shape.of(1, 2, 3), 1, 2, 3, 4, 5, 6);
        Tensor out = ONE.zeros(F64, Shape.of(1, 3, 2));
        ONE.permute(x, new int[] {0, 2, 1}, out);
        assertArrayEquals(new double[] {1, 4, 2, 5, 3, 6}, out.toDoubleArray(), 0.0);
    }

    @Test
    void randomPermutationsOfRanksOneToSixMatchTheNaiveIndexComputation() {
        Random random = new Random(17);
        SplittableRandom sizes = new SplittableRandom(23);
        for (int rank = 1; rank <= 6; rank++) {
            for (int trial = 0; trial < 25; trial++) {
                int[] dims = new int[rank];
                for (int i = 0; i < rank; i++) {
                    dims[i] = sizes.nextInt(1, rank <= 3 ? 9 : 5); // lengths of 1 included
                }
                List<Integer> order = new ArrayList<>();
                for (int i = 0; i < rank; i++) {
                    order.add(i);
                }
                Collections.shuffle(order, random);
                int[] axes = order.stream().mapToInt(Integer::intValue).toArray();
                for (DType dtype : DType.values()) {
                    Tensor x = sequence(dtype, dims);
                    Tensor out = ONE.zeros(dtype, permuted(dims, axes));
                    ONE.permute(x, axes, out);
                    double[] expected = naive(x.toDoubleArray(), dims, axes);
                    assertArrayEquals(expected, out.toDoubleArray(), 0.0, dtype + " " + x.shape() + " "
                            + order);
                    Tensor split = ONE.zeros(dtype, out.shape());
                    ConvKernels.permute(THREE, x, axes, split);
                    assertArrayEquals(expected, split.toDoubleArray(), 0.0);
                }
            }
        }
    }

    @Test
    void largeTensorsSplitOverThreadsGiveTheSameResult() {
        int[] dims = {100, 576, 30};
        int[] axes = {0, 2, 1};
        for (DType dtype : DType.values()) {
            Tensor x = sequence(dtype, dims);
            Tensor one = ONE.zeros(dtype, permuted(dims, axes));
            Tensor three = ONE.zeros(dtype, permuted(dims, axes));
            ONE.permute(x, axes, one);
            ConvKernels.permute(THREE, x, axes, three);
            assertArrayEquals(naive(x.toDoubleArray(), dims, axes), one.toDoubleArray(), 0.0);
            assertArrayEquals(one.toDoubleArray(), three.toDoubleArray(), 0.0);
        }
        int[] four = {3, 40, 50, 7};
        int[] rot = {3, 1, 0, 2};
        Tensor x = sequence(F64, four);
        Tensor out = ONE.zeros(F64, permuted(four, rot));
        ConvKernels.permute(THREE, x, rot, out);
        assertArrayEquals(naive(x.toDoubleArray(), four, rot), out.toDoubleArray(), 0.0);
    }

    @Test
    void identityScalarAndEmptyTensors() {
        Tensor x = sequence(F64, 2, 3);
        Tensor out = ONE.zeros(F64, Shape.of(2, 3));
        ONE.permute(x, new int[] {0, 1}, out);
        assertArrayEquals(x.toDoubleArray(), out.toDoubleArray(), 0.0);
        Tensor scalar = ONE.fromArray(F64, Shape.scalar(), 4);
        Tensor scalarOut = ONE.zeros(F64, Shape.scalar());
        ONE.permute(scalar, new int[0], scalarOut);
        assertArrayEquals(new double[] {4}, scalarOut.toDoubleArray(), 0.0);
        ONE.permute(ONE.zeros(F64, Shape.of(0, 3)), new int[] {1, 0}, ONE.zeros(F64, Shape.of(3, 0)));
    }

    @Test
    void errorsNameTheOpTheAxesAndTheShapes() {
        Tensor x = sequence(F64, 2, 3, 4);
        ShapeException notPermutation = assertThrows(ShapeException.class,
                () -> ONE.permute(x, new int[] {0, 1, 1}, ONE.zeros(F64, Shape.of(2, 3, 3))));
        assertTrue(notPermutation.getMessage().startsWith("permute: axes [0, 1, 1]")
                && notPermutation.getMessage().contains("(2, 3, 4)"), notPermutation.getMessage());
        assertThrows(ShapeException.class, () -> ONE.permute(x, new int[] {0, 1}, ONE.zeros(F64, Shape.of(2, 3))));
        assertThrows(ShapeException.class,
                () -> ONE.permute(x, new int[] {0, 1, 3}, ONE.zeros(F64, Shape.of(2, 3, 4))));
        ShapeException wrongOut = assertThrows(ShapeException.class,
                () -> ONE.permute(x, new int[] {2, 0, 1}, ONE.zeros(F64, Shape.of(4, 3, 2))));
        assertTrue(wrongOut.getMessage().contains("(4, 2, 3)") && wrongOut.getMessage().contains("(4, 3, 2)"),
                wrongOut.getMessage());
        ShapeException aliased = assertThrows(ShapeException.class,
                () -> ONE.permute(x, new int[] {0, 1, 2}, x.reshape(Shape.of(2, 3, 4))));
        assertTrue(aliased.getMessage().contains("share storage"), aliased.getMessage());
        assertThrows(ShapeException.class,
                () -> ONE.permute(x, new int[] {0, 1, 2}, ONE.zeros(DType.FLOAT32, Shape.of(2, 3, 4))));
        assertThrows(NullPointerException.class, () -> ONE.permute(x, null, ONE.zeros(F64, Shape.of(2, 3, 4))));
    }
}
