package org.nnj.core.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nnj.core.cpu.GemmTest.assertMessage;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.nnj.api.Backend;
import org.nnj.api.DType;
import org.nnj.api.Shape;
import org.nnj.api.Tensor;

class ElementwiseOpsTest {
    private final CpuBackend cpu = new CpuBackend(1);

    private Tensor t(DType dtype, double... v) {
        return cpu.fromArray(dtype, Shape.of(v.length), v);
    }

    private Tensor m(DType dtype, int rows, int cols, double... v) {
        return cpu.fromArray(dtype, Shape.of(rows, cols), v);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void creationFillAndCopy(DType dtype) {
        Tensor z = cpu.zeros(dtype, Shape.of(2, 3));
        assertEquals(dtype, z.dtype());
        assertEquals(Shape.of(2, 3), z.shape());
        assertArrayEquals(new double[6], z.toDoubleArray());
        cpu.fill(z, 2.5);
        assertArrayEquals(new double[] {2.5, 2.5, 2.5, 2.5, 2.5, 2.5}, z.toDoubleArray());
        Tensor src = t(dtype, 1, 2, 3, 4, 5, 6);
        cpu.copy(src, z); // same size, other shape
        assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, z.toDoubleArray());
        Tensor like = cpu.zerosLike(z);
        assertEquals(z.shape(), like.shape());
        assertEquals(dtype, like.dtype());
    }

    @Test
    void fromArrayRoundsToFloat() {
        assertEquals((double) (float) 0.1, t(DType.FLOAT32, 0.1).get(0));
        assertEquals(0.1, t(DType.FLOAT64, 0.1).get(0));
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void arithmetic(DType dtype) {
        Tensor a = t(dtype, 1, -2, 3.5, 0);
        Tensor b = t(dtype, 4, 0.5, -1, 2);
        Tensor out = cpu.zerosLike(a);
        cpu.add(a, b, out);
        assertArrayEquals(new double[] {5, -1.5, 2.5, 2}, out.toDoubleArray());
        cpu.sub(a, b, out);
        assertArrayEquals(new double[] {-3, -2.5, 4.5, -2}, out.toDoubleArray());
        cpu.mul(a, b, out);
        assertArrayEquals(new double[] {4, -1, -3.5, 0}, out.toDoubleArray());
        cpu.scale(a, -2, out);
        assertArrayEquals(new double[] {-2, 4, -7, -0.0}, out.toDoubleArray());
        Tensor y = t(dtype, 10, 20, 30, 40);
        cpu.axpy(0.5, a, y);
        assertArrayEquals(new double[] {10.5, 19, 31.75, 40}, y.toDoubleArray());
        assertEquals(2.5, cpu.sum(a));
        assertEquals(4 - 1 - 3.5 + 0, cpu.dot(a, b));
        // out may be an input
        cpu.add(a, a, a);
        assertArrayEquals(new double[] {2, -4, 7, 0}, a.toDoubleArray());
    }

    @Test
    void sumAndDotAccumulateInDoubleForFloat32() {
        // 2^24 + 1 + 1 + ... : in float every +1 would be lost
        double[] v = new double[1001];
        v[0] = 16777216;
        java.util.Arrays.fill(v, 1, v.length, 1.0);
        Tensor x = t(DType.FLOAT32, v);
        assertEquals(16777216 + 1000, cpu.sum(x));
        Tensor ones = cpu.zerosLike(x);
        cpu.fill(ones, 1);
        assertEquals(16777216 + 1000, cpu.dot(x, ones));
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void addRowAndSumRows(DType dtype) {
        Tensor x = m(dtype, 2, 3, 1, 2, 3, 4, 5, 6);
        Tensor row = t(dtype, 10, 20, 30);
        Tensor out = cpu.zerosLike(x);
        cpu.addRow(x, row, out);
        assertArrayEquals(new double[] {11, 22, 33, 14, 25, 36}, out.toDoubleArray());
        Tensor sums = t(dtype, Double.NaN, 1, 1);
        cpu.sumRows(x, 0, sums); // beta 0 ignores NaN
        assertArrayEquals(new double[] {5, 7, 9}, sums.toDoubleArray());
        cpu.sumRows(x, 2, sums);
        assertArrayEquals(new double[] {15, 21, 27}, sums.toDoubleArray());
        // a (2, 1, 3) tensor is a 2×3 matrix
        cpu.sumRows(x.reshape(Shape.of(2, 1, 3)), 0, sums);
        assertArrayEquals(new double[] {5, 7, 9}, sums.toDoubleArray());
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void mapZipAndAllFinite(DType dtype) {
        Tensor a = t(dtype, 1, 4, 9);
        Tensor out = cpu.zerosLike(a);
        cpu.map(a, Math::sqrt, out);
        assertArrayEquals(new double[] {1, 2, 3}, out.toDoubleArray());
        cpu.zip(a, out, (x, y) -> x - 2 * y, out);
        assertArrayEquals(new double[] {-1, 0, 3}, out.toDoubleArray());
        assertTrue(cpu.allFinite(a));
        a.set(1, Double.NaN);
        assertFalse(cpu.allFinite(a));
        a.set(1, Double.NEGATIVE_INFINITY);
        assertFalse(cpu.allFinite(a));
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void reluAndItsGradient(DType dtype) {
        Tensor x = t(dtype, -2, 0, 3, Double.NaN);
        Tensor out = cpu.zerosLike(x);
        cpu.relu(x, out);
        double[] r = out.toDoubleArray();
        assertArrayEquals(new double[] {0, 0, 3}, java.util.Arrays.copyOf(r, 3));
        assertTrue(Double.isNaN(r[3]), "NaN must survive relu");
        Tensor dout = t(dtype, 5, 6, 7, 8);
        cpu.reluBackward(x, dout, out);
        assertArrayEquals(new double[] {0, 0, 7, 0}, out.toDoubleArray()); // gradient at exactly 0 is 0
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void sigmoidAndItsGradient(DType dtype) {
        Tensor x = t(dtype, 0, 2, -2, 1000, -1000, -1e30, 1e30);
        Tensor y = cpu.zerosLike(x);
        cpu.sigmoid(x, y);
        double tol = dtype == DType.FLOAT32 ? 1e-7 : 1e-16;
        double s2 = 1 / (1 + Math.exp(-2));
        double sm2 = 1 / (1 + Math.exp(2)); // σ(−2) directly: 1 − σ(2) would lose digits
        double[] expected = {0.5, s2, sm2, 1, 0, 0, 1};
        assertArrayEquals(expected, y.toDoubleArray(), tol);
        assertTrue(cpu.allFinite(y));
        // far negative x: e^x/(1+e^x) keeps the tiny value instead of 1 - 1 = 0
        Tensor small = t(dtype, -50);
        cpu.sigmoid(small, small);
        assertEquals(Math.exp(-50), small.get(0), Math.exp(-50) * 1e-6);
        Tensor dout = t(dtype, 2, 2, 2, 2, 2, 2, 2);
        Tensor dx = cpu.zerosLike(x);
        cpu.sigmoidBackward(y, dout, dx);
        assertArrayEquals(new double[] {0.5, 2 * s2 * (1 - s2), 2 * s2 * (1 - s2), 0, 0, 0, 0}, dx.toDoubleArray(),
                1e-6);
    }

    @Test
    void argmaxRowsTakesTheFirstOnTies() {
        Tensor x = m(DType.FLOAT32, 3, 3, 1, 5, 5, -1, -2, -3, 0, 0, 7);
        int[] out = new int[4];
        out[3] = 42;
        cpu.argmaxRows(x, out);
        assertArrayEquals(new int[] {1, 0, 2, 42}, out);
    }

    @Test
    void errorMessagesNameTheOperationAndShapes() {
        Tensor a = m(DType.FLOAT32, 2, 3, 1, 2, 3, 4, 5, 6);
        Tensor b = t(DType.FLOAT32, 1, 2, 3);
        Tensor d = m(DType.FLOAT64, 2, 3, 1, 2, 3, 4, 5, 6);
        assertMessage("add: a (2, 3) and b (3) differ in size", () -> cpu.add(a, b, a));
        assertMessage("sub: a (2, 3) and out (3) differ in size", () -> cpu.sub(a, a, b));
        assertMessage("mul: a (2, 3) is float32 but b (2, 3) is float64", () -> cpu.mul(a, d, a));
        assertMessage("scale: a (2, 3) is float32 but out (2, 3) is float64", () -> cpu.scale(a, 2, d));
        assertMessage("axpy: x (3) and y (2, 3) differ in size", () -> cpu.axpy(1, b, a));
        assertMessage("dot: a (2, 3) and b (3) differ in size", () -> cpu.dot(a, b));
        assertMessage("copy: src (3) and dst (2, 3) differ in size", () -> cpu.copy(b, a));
        assertMessage("copy: src (2, 3) is float32 but dst (2, 3) is float64", () -> cpu.copy(a, d));
        assertMessage("relu: x (2, 3) and out (3) differ in size", () -> cpu.relu(a, b));
        assertMessage("reluBackward: x (2, 3) and dout (3) differ in size", () -> cpu.reluBackward(a, b, a));
        assertMessage("sigmoid: x (2, 3) is float32 but out (2, 3) is float64", () -> cpu.sigmoid(a, d));
        assertMessage("sigmoidBackward: y (2, 3) and dx (3) differ in size", () -> cpu.sigmoidBackward(a, a, b));
        assertMessage("map: x (2, 3) and out (3) differ in size", () -> cpu.map(a, v -> v, b));
        assertMessage("zip: a (2, 3) and b (3) differ in size", () -> cpu.zip(a, b, Double::sum, a));
        assertMessage("addRow: row (2, 3) has 6 elements, but the rows of x (2, 3) have 3", () -> cpu.addRow(a, a, a));
        assertMessage("sumRows: out (2, 3) has 6 elements, but the rows of x (2, 3) have 3",
                () -> cpu.sumRows(a, 0, a));
        assertMessage("argmaxRows: out has 1 entries for the 2 rows of x (2, 3)", () -> cpu.argmaxRows(a, new int[1]));
        assertMessage("fromArray: 2 values do not fill shape (3) of 3 elements",
                () -> cpu.fromArray(DType.FLOAT32, Shape.of(3), 1, 2));
        assertMessage("reshape: (2, 3) has 6 elements, (4) has 4", () -> a.reshape(Shape.of(4)));
        NullPointerException npe = assertThrows(NullPointerException.class, () -> cpu.add(a, null, a));
        assertEquals("add: b is null", npe.getMessage());
    }

    @Test
    void tensorsOfAnotherBackendAreRejected() {
        Tensor foreign = org.mockito.Mockito.mock(Tensor.class);
        Backend other = org.mockito.Mockito.mock(Backend.class);
        org.mockito.Mockito.when(other.name()).thenReturn("gpu");
        org.mockito.Mockito.when(foreign.backend()).thenReturn(other);
        org.mockito.Mockito.when(foreign.shape()).thenReturn(Shape.of(3));
        Tensor b = t(DType.FLOAT32, 1, 2, 3);
        assertMessage("add: a (3) belongs to backend 'gpu', not to cpu", () -> cpu.add(foreign, b, b));
    }

    @Test
    void tensorAccessorsAndReshapeShareStorage() {
        Tensor a = m(DType.FLOAT64, 2, 2, 1, 2, 3, 4);
        Tensor flat = a.reshape(Shape.of(4));
        flat.set(3, 40);
        assertEquals(40, a.get(3));
        assertEquals(cpu, a.backend());
        assertThrows(IndexOutOfBoundsException.class, () -> a.get(4));
        assertThrows(IndexOutOfBoundsException.class, () -> a.set(-1, 0));
        assertEquals(7.0, t(DType.FLOAT32, 7).item());
        assertThrows(IllegalArgumentException.class, () -> new CpuBackend(0));
    }
}
