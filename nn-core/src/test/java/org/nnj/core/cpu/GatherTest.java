package org.nnj.core.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.nnj.core.cpu.GemmTest.assertMessage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nnj.api.DType;
import org.nnj.api.Shape;
import org.nnj.api.Tensor;

class GatherTest {
    private final CpuBackend cpu = new CpuBackend(1);
    /** Three rows of two unsigned bytes: (0, 1), (254, 255), (128, 2). */
    private final byte[] src = {0, 1, (byte) 254, (byte) 255, (byte) 128, 2};
    private final int[] order = {9, 2, 0, 1};

    @ParameterizedTest
    @EnumSource(DType.class)
    void gatherBytesScalesUnsignedBytesOfTheChosenRows(DType dtype) {
        Tensor out = cpu.zeros(dtype, Shape.of(3, 2));
        cpu.gatherBytes(src, 2, order, 1, 3, 0.5, out);
        assertArrayEquals(new double[] {64, 1, 0, 0.5, 127, 127.5}, out.toDoubleArray());
    }

    @Test
    void gatherBytesLeavesRowsBeyondCountAlone() {
        Tensor out = cpu.fromArray(DType.FLOAT32, Shape.of(2, 2), 7, 7, 7, 7);
        cpu.gatherBytes(src, 2, order, 2, 1, 1, out);
        assertArrayEquals(new double[] {0, 1, 7, 7}, out.toDoubleArray());
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void gatherLabelsAsIndicesAndOneHot(DType dtype) {
        byte[] labels = {3, 0, (byte) 200};
        Tensor idx = cpu.zeros(dtype, Shape.of(3));
        cpu.gatherLabels(labels, new int[] {2, 0, 1}, 0, 3, idx);
        assertArrayEquals(new double[] {200, 3, 0}, idx.toDoubleArray());
        Tensor oneHot = cpu.fromArray(dtype, Shape.of(2, 4), 9, 9, 9, 9, 9, 9, 9, 9);
        cpu.gatherLabels(labels, new int[] {2, 0, 1}, 1, 2, oneHot);
        assertArrayEquals(new double[] {0, 0, 0, 1, 1, 0, 0, 0}, oneHot.toDoubleArray());
    }

    @Test
    void errorMessages() {
        Tensor out = cpu.zeros(DType.FLOAT32, Shape.of(3, 2));
        assertMessage("gatherBytes: indices [2, 5) are not within the 4 given",
                () -> cpu.gatherBytes(src, 2, order, 2, 3, 1, out));
        assertMessage("gatherBytes: indices[0] = 9 is not a row of src (3 rows of 2 bytes)",
                () -> cpu.gatherBytes(src, 2, order, 0, 3, 1, out));
        assertMessage("gatherBytes: out (3, 2) cannot hold 3 rows of 3",
                () -> cpu.gatherBytes(src, 3, order, 1, 3, 1, out));
        assertMessage("gatherBytes: out (3, 2) cannot hold 4 rows of 2",
                () -> cpu.gatherBytes(src, 2, new int[] {0, 0, 0, 0}, 0, 4, 1, out));
        byte[] labels = {3, 0, 12};
        assertMessage("gatherLabels: indices[0] = 9 is not one of the 3 labels",
                () -> cpu.gatherLabels(labels, order, 0, 2, cpu.zeros(DType.FLOAT32, Shape.of(2))));
        assertMessage("gatherLabels: label 12 of sample 2 does not fit one-hot rows of 10 classes in out (2, 10)",
                () -> cpu.gatherLabels(labels, order, 1, 2, cpu.zeros(DType.FLOAT32, Shape.of(2, 10))));
        assertMessage("gatherLabels: out (2, 2, 2) is neither (2) for class indices nor (2, classes) for one-hot rows",
                () -> cpu.gatherLabels(labels, order, 1, 2, cpu.zeros(DType.FLOAT32, Shape.of(2, 2, 2))));
        assertMessage("gatherLabels: indices [3, 5) are not within the 4 given",
                () -> cpu.gatherLabels(labels, order, 3, 2, cpu.zeros(DType.FLOAT32, Shape.of(2))));
    }
}
