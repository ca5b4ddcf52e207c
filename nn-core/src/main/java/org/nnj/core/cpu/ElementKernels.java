package org.nnj.core.cpu;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The element-wise loops that the JIT does not vectorise by itself (a select, a byte-to-float conversion, a test for
 * non-finite values), in plain Java here; {@code VectorElementKernels} overrides them with {@code jdk.incubator.vector}
 * code when that module is present ({@link #best()}). Both give bit-identical results: they do the same IEEE
 * operations element by element, only several at a time.
 */
class ElementKernels {
    private static final Logger LOG = LoggerFactory.getLogger(ElementKernels.class);
    private static final ElementKernels SCALAR = new ElementKernels();

    /** The vector kernels when {@code jdk.incubator.vector} is in the boot layer and not turned off, else scalar. */
    static ElementKernels best() {
        return Best.KERNELS;
    }

    /** The plain-Java kernels. */
    static ElementKernels scalar() {
        return SCALAR;
    }

    /** Decided once, as {@link GemmKernel#best()}; the vector class is loaded only if it can be. */
    private static final class Best {
        static final ElementKernels KERNELS = choose();

        private static ElementKernels choose() {
            if ("false".equalsIgnoreCase(System.getProperty(GemmKernel.VECTOR_PROPERTY))
                    || ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
                return SCALAR;
            }
            try {
                return (ElementKernels) Class.forName("org.nnj.core.cpu.VectorElementKernels")
                        .getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
                LOG.warn("element-wise kernels: scalar, the vector ones failed to load: {}", e.toString());
                return SCALAR;
            }
        }
    }

    /** A short name for logs: {@code vector} or {@code scalar}. */
    String name() {
        return "scalar";
    }

    /** True if no element of {@code x[from .. to)} is infinite or NaN. */
    boolean allFinite(float[] x, int from, int to) {
        // x − x is 0 for finite x and NaN otherwise; four independent sums keep the adds from waiting on each other
        float s0 = 0f;
        float s1 = 0f;
        float s2 = 0f;
        float s3 = 0f;
        int i = from;
        for (; i + 3 < to; i += 4) {
            s0 += x[i] - x[i];
            s1 += x[i + 1] - x[i + 1];
            s2 += x[i + 2] - x[i + 2];
            s3 += x[i + 3] - x[i + 3];
        }
        for (; i < to; i++) {
            s0 += x[i] - x[i];
        }
        return s0 + s1 + s2 + s3 == 0f;
    }

    /** True if no element of {@code x[from .. to)} is infinite or NaN. */
    boolean allFinite(double[] x, int from, int to) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int i = from;
        for (; i + 3 < to; i += 4) {
            s0 += x[i] - x[i];
            s1 += x[i + 1] - x[i + 1];
            s2 += x[i + 2] - x[i + 2];
            s3 += x[i + 3] - x[i + 3];
        }
        for (; i < to; i++) {
            s0 += x[i] - x[i];
        }
        return s0 + s1 + s2 + s3 == 0;
    }

    /** {@code o[i] = y[i] > 0 ? d[i] : 0} for {@code i} in {@code [from, to)}. */
    void reluBackward(float[] y, float[] d, float[] o, int from, int to) {
        for (int i = from; i < to; i++) {
            o[i] = y[i] > 0f ? d[i] : 0f;
        }
    }

    /** {@code o[i] = y[i] > 0 ? d[i] : 0} for {@code i} in {@code [from, to)}. */
    void reluBackward(double[] y, double[] d, double[] o, int from, int to) {
        for (int i = from; i < to; i++) {
            o[i] = y[i] > 0.0 ? d[i] : 0.0;
        }
    }

    /** {@code dst[dOff + i] = scale · (src[sOff + i] & 0xFF)} for {@code i < len}, in float. */
    void bytes(byte[] src, int sOff, float scale, float[] dst, int dOff, int len) {
        for (int i = 0; i < len; i++) {
            dst[dOff + i] = scale * (src[sOff + i] & 0xFF);
        }
    }

    /** {@code dst[dOff + i] = scale · (src[sOff + i] & 0xFF)} for {@code i < len}, in double. */
    void bytes(byte[] src, int sOff, double scale, double[] dst, int dOff, int len) {
        for (int i = 0; i < len; i++) {
            dst[dOff + i] = scale * (src[sOff + i] & 0xFF);
        }
    }
}
