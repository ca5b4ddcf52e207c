package org.nnj.core.cpu;

import org.nnj.api.Tensor;

/** Kernels of the chapter 6-7 layers for the cpu backend. Being written: every method is still to be implemented. */
final class RegularisationKernels {
    private RegularisationKernels() {
    }

    private static UnsupportedOperationException todo(String op) {
        return new UnsupportedOperationException("cpu backend: " + op + " is not implemented yet");
    }

    static void tanh(Tensor x, Tensor out) {
        throw todo("tanh");
    }

    static void tanhBackward(Tensor y, Tensor dout, Tensor dx) {
        throw todo("tanhBackward");
    }

    static void leakyRelu(Tensor x, double alpha, Tensor out) {
        throw todo("leakyRelu");
    }

    static void leakyReluBackward(Tensor x, double alpha, Tensor dout, Tensor dx) {
        throw todo("leakyReluBackward");
    }

    static void dropoutMask(Tensor mask, double keep, java.util.Random random) {
        throw todo("dropoutMask");
    }

    static void batchNormForward(Tensor x, int channels, Tensor gamma, Tensor beta, Tensor runningMean,
                                 Tensor runningVar, double momentum, double eps, boolean training, Tensor xhat,
                                 Tensor invStd, Tensor out) {
        throw todo("batchNormForward");
    }

    static void batchNormBackward(Tensor dout, Tensor xhat, Tensor invStd, Tensor gamma, int channels, Tensor dgamma,
                                  Tensor dbeta, Tensor dx) {
        throw todo("batchNormBackward");
    }

    static double sigmoidBinaryCrossEntropy(Tensor logits, Tensor target, Tensor probs) {
        throw todo("sigmoidBinaryCrossEntropy");
    }
}
