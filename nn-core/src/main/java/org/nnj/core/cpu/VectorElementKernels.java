package org.nnj.core.cpu;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link ElementKernels} written with {@code jdk.incubator.vector}, loaded by reflection only when that module is
 * present. The same IEEE operations as the scalar loops, lane by lane, so the results are identical; the scalar
 * loops finish each range's last partial vector.
 */
final class VectorElementKernels extends ElementKernels {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    /** Ints as wide as the float vector, for the byte conversion. */
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
    /** Bytes for one int vector's lanes. */
    private static final VectorSpecies<Byte> B = ByteVector.SPECIES_64.length() == I.length()
            ? ByteVector.SPECIES_64 : ByteVector.SPECIES_128;
    private static final VectorSpecies<Integer> I4 = IntVector.SPECIES_128;

    /** Public for {@link ElementKernels#best()}'s reflective construction. */
    public VectorElementKernels() {
        if (F.length() != I.length() || B.length() != I.length()) {
            throw new IllegalStateException("unexpected vector shapes " + F + ", " + I + ", " + B);
        }
    }

    @Override
    String name() {
        return "vector";
    }

    @Override
    boolean allFinite(float[] x, int from, int to) {
        FloatVector s0 = FloatVector.zero(F);
        FloatVector s1 = FloatVector.zero(F);
        int l = F.length();
        int i = from;
        for (; i + 2 * l <= to; i += 2 * l) {
            FloatVector a = FloatVector.fromArray(F, x, i);
            FloatVector b = FloatVector.fromArray(F, x, i + l);
            s0 = s0.add(a.sub(a));
            s1 = s1.add(b.sub(b));
        }
        // any NaN lane makes the sum NaN, whatever the order of the lanes
        float s = s0.add(s1).reduceLanes(VectorOperators.ADD);
        return s == 0f && super.allFinite(x, i, to);
    }

    @Override
    boolean allFinite(double[] x, int from, int to) {
        DoubleVector s0 = DoubleVector.zero(D);
        DoubleVector s1 = DoubleVector.zero(D);
        int l = D.length();
        int i = from;
        for (; i + 2 * l <= to; i += 2 * l) {
            DoubleVector a = DoubleVector.fromArray(D, x, i);
            DoubleVector b = DoubleVector.fromArray(D, x, i + l);
            s0 = s0.add(a.sub(a));
            s1 = s1.add(b.sub(b));
        }
        double s = s0.add(s1).reduceLanes(VectorOperators.ADD);
        return s == 0 && super.allFinite(x, i, to);
    }

    @Override
    void reluBackward(float[] y, float[] d, float[] o, int from, int to) {
        int l = F.length();
        int i = from;
        for (; i + l <= to; i += l) {
            FloatVector yv = FloatVector.fromArray(F, y, i);
            FloatVector dv = FloatVector.fromArray(F, d, i);
            // y > 0 is false for NaN, like the scalar comparison
            FloatVector.zero(F).blend(dv, yv.compare(VectorOperators.GT, 0f)).intoArray(o, i);
        }
        super.reluBackward(y, d, o, i, to);
    }

    @Override
    void reluBackward(double[] y, double[] d, double[] o, int from, int to) {
        int l = D.length();
        int i = from;
        for (; i + l <= to; i += l) {
            DoubleVector yv = DoubleVector.fromArray(D, y, i);
            DoubleVector dv = DoubleVector.fromArray(D, d, i);
            DoubleVector.zero(D).blend(dv, yv.compare(VectorOperators.GT, 0.0)).intoArray(o, i);
        }
        super.reluBackward(y, d, o, i, to);
    }

    @Override
    void bytes(byte[] src, int sOff, float scale, float[] dst, int dOff, int len) {
        int l = I.length();
        int i = 0;
        for (; i + l <= len; i += l) {
            // the bytes' lanes widened to ints (sign-extended, then masked to 0..255), exactly converted to float
            IntVector v = (IntVector) ByteVector.fromArray(B, src, sOff + i).convertShape(VectorOperators.B2I, I, 0);
            ((FloatVector) v.and(0xFF).convert(VectorOperators.I2F, 0)).mul(scale).intoArray(dst, dOff + i);
        }
        super.bytes(src, sOff + i, scale, dst, dOff + i, len - i);
    }

    @Override
    void bytes(byte[] src, int sOff, double scale, double[] dst, int dOff, int len) {
        int l = D.length();
        if (I4.length() != l) {
            super.bytes(src, sOff, scale, dst, dOff, len);
            return;
        }
        int i = 0;
        for (; i + 8 <= len; i += l) {
            // four bytes at a time: the low half of a 64-bit byte vector (8 bytes read, all inside the range)
            IntVector v = (IntVector) ByteVector.fromArray(ByteVector.SPECIES_64, src, sOff + i)
                    .convertShape(VectorOperators.B2I, I4, 0);
            ((DoubleVector) v.and(0xFF).convertShape(VectorOperators.I2D, D, 0)).mul(scale).intoArray(dst, dOff + i);
        }
        super.bytes(src, sOff + i, scale, dst, dOff + i, len - i);
    }
}
