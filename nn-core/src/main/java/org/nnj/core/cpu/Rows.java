package org.nnj.core.cpu;

/** Copies one row of a tensor of either dtype to and from a double buffer, for row-wise kernels. */
final class Rows {
    private Rows() {
    }

    /** {@code buf[0 .. len) = t[off .. off+len)}, widened to double. */
    static void read(CpuTensor t, int off, int len, double[] buf) {
        if (t.isFloat()) {
            float[] f = t.floats();
            for (int j = 0; j < len; j++) {
                buf[j] = f[off + j];
            }
        } else {
            System.arraycopy(t.doubles(), off, buf, 0, len);
        }
    }

    /** {@code t[off .. off+len) = buf[0 .. len)}, rounded to the tensor's dtype. */
    static void write(double[] buf, int len, CpuTensor t, int off) {
        if (t.isFloat()) {
            float[] f = t.floats();
            for (int j = 0; j < len; j++) {
                f[off + j] = (float) buf[j];
            }
        } else {
            System.arraycopy(buf, 0, t.doubles(), off, len);
        }
    }
}
