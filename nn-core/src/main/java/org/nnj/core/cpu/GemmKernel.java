package org.nnj.core.cpu;

import java.lang.management.ManagementFactory;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A gemm kernel: computes one rectangle of {@code c = alpha·op(a)·op(b) + beta·c} for each dtype. Each kernel gives
 * every element of {@code c} the same roundings however the output is cut into rectangles, so results never depend on
 * the thread count; two kernels may differ from each other by rounding (the vector one uses fused multiply-adds).
 */
interface GemmKernel {

    /** {@code jdk.incubator.vector} kernels are used only when this system property is not {@code false}. */
    String VECTOR_PROPERTY = "nnj.cpu.vector";

    /** A short name for logs and benchmarks: {@code vector} or {@code scalar}. */
    String name();

    /**
     * Rows of the kernel's register tile for an output {@code n} columns wide: thread bands of rows start at multiples
     * of it.
     */
    int rowTile(int n);

    /** Columns of the kernel's register tile for the dtype: thread bands of columns start at multiples of it. */
    int colTile(boolean float32);

    /** Computes rows {@code [i0, i1)} × columns {@code [j0, j1)} of the float32 {@code c}. */
    void f32(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, float[] b, float beta,
             float[] c, int i0, int i1, int j0, int j1);

    /** Computes rows {@code [i0, i1)} × columns {@code [j0, j1)} of the float64 {@code c}. */
    void f64(boolean transA, boolean transB, int m, int n, int k, double alpha, double[] a, double[] b, double beta,
             double[] c, int i0, int i1, int j0, int j1);

    /** The plain-Java kernel: no flags needed, auto-vectorised inner loops, several times slower. */
    static GemmKernel scalar() {
        return ScalarGemm.INSTANCE;
    }

    /**
     * The fastest kernel this JVM can run: the {@code jdk.incubator.vector} one when that module is in the boot layer
     * ({@code --add-modules jdk.incubator.vector}), the JIT uses FMA instructions, and {@value #VECTOR_PROPERTY} is
     * not {@code false}; otherwise {@link #scalar()}. Decided once.
     */
    static GemmKernel best() {
        return Best.KERNEL;
    }

    /** Lazily decides {@link #best()}; the vector classes are loaded only if they can be. */
    final class Best {
        private static final Logger LOG = LoggerFactory.getLogger(GemmKernel.class);
        static final GemmKernel KERNEL = choose();

        private Best() {
        }

        private static GemmKernel choose() {
            if ("false".equalsIgnoreCase(System.getProperty(VECTOR_PROPERTY))) {
                LOG.debug("gemm: scalar kernel ({}=false)", VECTOR_PROPERTY);
                return scalar();
            }
            if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
                LOG.debug("gemm: scalar kernel (run with --add-modules jdk.incubator.vector for the vector one)");
                return scalar();
            }
            if (!usesFma()) {
                // without FMA instructions a vector fma is emulated and far slower than the scalar kernel
                LOG.debug("gemm: scalar kernel (the JIT does not use FMA instructions here)");
                return scalar();
            }
            try {
                GemmKernel k = (GemmKernel) Class.forName("org.nnj.core.cpu.VectorGemm")
                        .getDeclaredConstructor().newInstance();
                LOG.debug("gemm: {}", k);
                return k;
            } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
                LOG.warn("gemm: scalar kernel, the vector kernel failed to load: {}", e.toString());
                return scalar();
            }
        }

        /** HotSpot's {@code UseFMA} flag where it can be read; assumed on where it cannot (other JVMs). */
        private static boolean usesFma() {
            try {
                Optional<Module> management = ModuleLayer.boot().findModule("jdk.management");
                if (management.isEmpty()) {
                    return true;
                }
                com.sun.management.HotSpotDiagnosticMXBean hs =
                        ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
                return hs == null || !"false".equals(hs.getVMOption("UseFMA").getValue());
            } catch (RuntimeException | LinkageError e) {
                return true;
            }
        }
    }
}
