package org.nnj.openblas;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas_nolapack;

/** Loads OpenBLAS (the BLAS-only build of the bytedeco presets) once and sets its thread count. */
final class NativeBlas {
    private NativeBlas() {
    }

    /**
     * Loads the native library.
     *
     * @throws LinkageError (e.g. {@link UnsatisfiedLinkError}) if it cannot be loaded on this platform
     */
    static synchronized void load() {
        Loader.load(openblas_nolapack.class);
    }

    /** OpenBLAS's process-wide thread count. */
    static synchronized void setThreads(int threads) {
        org.bytedeco.openblas.presets.openblas_nolapack.blas_set_num_threads(threads);
    }

    /** OpenBLAS's process-wide thread count. */
    static int threads() {
        return org.bytedeco.openblas.presets.openblas_nolapack.blas_get_num_threads();
    }
}
