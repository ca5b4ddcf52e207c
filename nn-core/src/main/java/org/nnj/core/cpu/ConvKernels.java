package org.nnj.core.cpu;

import org.nnj.api.ConvGeometry;
import org.nnj.api.Tensor;

/** Convolution and pooling kernels for the cpu backend. Being written: every method is still to be implemented. */
final class ConvKernels {
    private ConvKernels() {
    }

    private static UnsupportedOperationException todo(String op) {
        return new UnsupportedOperationException("cpu backend: " + op + " is not implemented yet");
    }

    static void im2col(Tensor x, ConvGeometry g, Tensor col) {
        throw todo("im2col");
    }

    static void col2im(Tensor col, ConvGeometry g, Tensor dx) {
        throw todo("col2im");
    }

    static void permute(Tensor x, int[] axes, Tensor out) {
        throw todo("permute");
    }

    static void maxPool(Tensor x, ConvGeometry g, Tensor out, int[] argmax) {
        throw todo("maxPool");
    }

    static void maxPoolBackward(Tensor dout, int[] argmax, Tensor dx) {
        throw todo("maxPoolBackward");
    }

    static void avgPool(Tensor x, ConvGeometry g, Tensor out) {
        throw todo("avgPool");
    }

    static void avgPoolBackward(Tensor dout, ConvGeometry g, Tensor dx) {
        throw todo("avgPoolBackward");
    }
}
