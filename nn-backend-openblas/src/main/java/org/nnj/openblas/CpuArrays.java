package org.nnj.openblas;

import org.nnj.api.Tensor;
import org.nnj.core.cpu.CpuTensor;

/** Reads the backing array of a {@link CpuTensor}, shared and not copied, to hand it to OpenBLAS. */
final class CpuArrays {
    private CpuArrays() {
    }

    /** The {@code float[]} of a float32 cpu tensor. */
    static float[] floats(Tensor t) {
        return ((CpuTensor) t).floats();
    }

    /** The {@code double[]} of a float64 cpu tensor. */
    static double[] doubles(Tensor t) {
        return ((CpuTensor) t).doubles();
    }
}
