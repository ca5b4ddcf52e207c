package org.nnj.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.nnj.api.DType;
import org.nnj.api.Mode;
import org.nnj.api.Parameter;
import org.nnj.api.Shape;
import org.nnj.api.Tensor;
import org.nnj.core.Sequential;
import org.nnj.core.cpu.CpuBackend;
import org.nnj.layers.Affine;
import org.nnj.layers.Relu;
import org.nnj.layers.SoftmaxCrossEntropy;
import org.nnj.optim.Sgd;

/**
 * Where one training step of the two-layer net (784-50-10, batch 100) spends its time, phase by phase, as
 * {@code Trainer} runs it: gathering the batch from bytes, zeroing the gradients, each layer's forward, the loss,
 * backward, the finiteness checks and weight copy that let a diverging step be undone, and the SGD update. Not a JMH
 * benchmark: timing each phase inside one step needs clocks between them. The phases add up to a little more than
 * {@link TrainStepBench} (the clock reads cost about 20 ns each).
 *
 * <pre>java --add-modules jdk.incubator.vector -cp nn-bench/target/benchmarks.jar org.nnj.bench.StepPhases [THREADS]
 *     [float32|float64] [STEPS]</pre>
 */
public final class StepPhases {
    private static final int IMAGES = 60_000;
    private static final int BATCH = 100;
    private static final String[] PHASES = {"gather", "zero gradients", "Affine1 forward", "ReLU forward",
        "Affine2 forward", "loss forward", "loss backward", "backward (A2, ReLU, A1 dW)", "grads finite + copy W",
        "SGD + weights finite"};

    private StepPhases() {
    }

    /** Prints µs per step for each phase, after as many warm-up steps as measured ones. */
    public static void main(String[] args) {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        DType dt = DType.valueOf((args.length > 1 ? args[1] : "float32").toUpperCase(Locale.ROOT));
        int steps = args.length > 2 ? Integer.parseInt(args[2]) : 6000;
        try (CpuBackend be = new CpuBackend(threads)) {
            Random random = new Random(7);
            byte[] images = new byte[IMAGES * 784];
            random.nextBytes(images);
            byte[] labels = new byte[IMAGES];
            int[] order = new int[IMAGES];
            for (int i = 0; i < IMAGES; i++) {
                labels[i] = (byte) random.nextInt(10);
                order[i] = (int) ((i * 7919L) % IMAGES); // scattered rows, as a shuffled epoch reads them
            }
            Affine a1 = new Affine(be, dt, 784, 50, random, 0.01);
            Relu relu = new Relu();
            Affine a2 = new Affine(be, dt, 50, 10, random, 0.01);
            Sequential layers = new Sequential().add("Affine1", a1).add("Relu1", relu).add("Affine2", a2);
            SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
            Sgd sgd = new Sgd(0.01);
            Tensor x = be.zeros(dt, Shape.of(BATCH, 784));
            Tensor t = be.zeros(dt, Shape.of(BATCH));
            List<Parameter> params = layers.parameters();
            List<Tensor> previous = new ArrayList<>();
            for (Parameter p : params) {
                previous.add(be.zeros(dt, p.value().shape()));
            }
            long[] total = new long[PHASES.length];
            long[] clock = new long[PHASES.length + 1];
            for (int round = 0; round < 2; round++) { // the first round warms the JIT up
                java.util.Arrays.fill(total, 0);
                for (int s = 0; s < steps; s++) {
                    int from = (s * BATCH) % (IMAGES - BATCH);
                    clock[0] = System.nanoTime();
                    be.gatherBytes(images, 784, order, from, BATCH, 1.0 / 255, x);
                    be.gatherLabels(labels, order, from, BATCH, t);
                    clock[1] = System.nanoTime();
                    layers.zeroGrad();
                    clock[2] = System.nanoTime();
                    Tensor h = a1.forward(x, Mode.TRAIN);
                    clock[3] = System.nanoTime();
                    h = relu.forward(h, Mode.TRAIN);
                    clock[4] = System.nanoTime();
                    h = a2.forward(h, Mode.TRAIN);
                    clock[5] = System.nanoTime();
                    loss.forward(h, t);
                    clock[6] = System.nanoTime();
                    Tensor d = loss.backward();
                    clock[7] = System.nanoTime();
                    a1.backwardParameters(relu.backward(a2.backward(d)));
                    clock[8] = System.nanoTime();
                    boolean finite = true;
                    for (int i = 0; i < params.size(); i++) {
                        finite &= be.allFinite(params.get(i).grad());
                        be.copy(params.get(i).value(), previous.get(i));
                    }
                    clock[9] = System.nanoTime();
                    sgd.step(params);
                    for (Parameter p : params) {
                        finite &= be.allFinite(p.value());
                    }
                    clock[10] = System.nanoTime();
                    if (!finite) {
                        throw new IllegalStateException("diverged at step " + s);
                    }
                    for (int k = 0; k < PHASES.length; k++) {
                        total[k] += clock[k + 1] - clock[k];
                    }
                }
            }
            long sum = 0;
            System.out.printf(Locale.ROOT, "two-layer step, %s, %d thread(s), batch %d, mean of %d steps:%n", dt,
                    threads, BATCH, steps);
            for (int k = 0; k < PHASES.length; k++) {
                sum += total[k];
                System.out.printf(Locale.ROOT, "  %-28s %7.1f us%n", PHASES[k], total[k] / 1e3 / steps);
            }
            System.out.printf(Locale.ROOT, "  %-28s %7.1f us  (x 600 = %.3f s per epoch of 60,000 images)%n", "total",
                    sum / 1e3 / steps, sum / 1e9 / steps * 600);
        }
    }
}
