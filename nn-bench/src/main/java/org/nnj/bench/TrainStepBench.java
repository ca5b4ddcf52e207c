package org.nnj.bench;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.nnj.api.DType;
import org.nnj.api.Shape;
import org.nnj.api.Tensor;
import org.nnj.core.Network;
import org.nnj.core.Sequential;
import org.nnj.core.cpu.CpuBackend;
import org.nnj.layers.Affine;
import org.nnj.layers.Relu;
import org.nnj.layers.SoftmaxCrossEntropy;
import org.nnj.optim.Sgd;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One SGD training step of the two-layer net 784-50-10 with batch 100 (by default): gather the batch from byte images, forward,
 * loss, backward, update. With {@code -prof gc}, {@code gc.alloc.rate.norm} is the allocation per step.
 * 600 steps are one epoch of 60,000 images.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xms1g", "-Xmx1g"})
@State(Scope.Benchmark)
public class TrainStepBench {
    private static final int IMAGES = 6000;

    @Param({"float32", "float64"})
    public String dtype;

    @Param({"1", "2"})
    public int threads;

    /** Batch size: run {@code -p batch=100,200} to see that the allocation per step does not grow with it. */
    @Param({"100"})
    public int batch;

    private CpuBackend backend;
    private Network network;
    private Sgd sgd;
    private byte[] images;
    private byte[] labels;
    private int[] order;
    private Tensor x;
    private Tensor t;
    private int next;

    @Setup
    public void setUp() {
        DType dt = DType.valueOf(dtype.toUpperCase(java.util.Locale.ROOT));
        backend = new CpuBackend(threads);
        Random random = new Random(7);
        images = new byte[IMAGES * 784];
        random.nextBytes(images);
        labels = new byte[IMAGES];
        order = new int[IMAGES];
        for (int i = 0; i < IMAGES; i++) {
            labels[i] = (byte) random.nextInt(10);
            order[i] = (i * 7919) % IMAGES;
        }
        Sequential layers = new Sequential()
                .add("Affine1", new Affine(backend, dt, 784, 50, random, 0.01))
                .add("Relu1", new Relu())
                .add("Affine2", new Affine(backend, dt, 50, 10, random, 0.01));
        network = new Network(layers, new SoftmaxCrossEntropy());
        sgd = new Sgd(0.1);
        x = backend.zeros(dt, Shape.of(batch, 784));
        t = backend.zeros(dt, Shape.of(batch));
    }

    @TearDown
    public void tearDown() {
        backend.close();
    }

    @Benchmark
    public double step() {
        if (next + batch > IMAGES) {
            next = 0;
        }
        backend.gatherBytes(images, 784, order, next, batch, 1.0 / 255, x);
        backend.gatherLabels(labels, order, next, batch, t);
        next += batch;
        double loss = network.gradient(x, t);
        sgd.step(network.parameters());
        return loss;
    }
}
