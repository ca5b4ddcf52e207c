package org.nnj.bench;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.nnj.api.DType;
import org.nnj.api.Mode;
import org.nnj.api.Shape;
import org.nnj.api.Tensor;
import org.nnj.core.cpu.CpuBackend;
import org.nnj.layers.Affine;
import org.nnj.layers.Relu;
import org.nnj.layers.SoftmaxCrossEntropy;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/** Forward then backward of each layer at the two-layer net's sizes (batch 100), in microseconds per pass. */
@BenchmarkMode(org.openjdk.jmh.annotations.Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xms1g", "-Xmx1g"})
@State(Scope.Benchmark)
public class LayerBench {
    @Param({"float32", "float64"})
    public String dtype;

    @Param({"2"})
    public int threads;

    private CpuBackend backend;
    private Affine affine1;
    private Relu relu;
    private SoftmaxCrossEntropy loss;
    private Tensor x;
    private Tensor hidden;
    private Tensor dHidden;
    private Tensor scores;
    private Tensor labels;

    @Setup
    public void setUp() {
        DType dt = DType.valueOf(dtype.toUpperCase(java.util.Locale.ROOT));
        backend = new CpuBackend(threads);
        Random random = new Random(1);
        affine1 = new Affine(backend, dt, 784, 50, random, 0.01);
        relu = new Relu();
        loss = new SoftmaxCrossEntropy();
        x = filled(dt, Shape.of(100, 784), random);
        hidden = filled(dt, Shape.of(100, 50), random);
        dHidden = filled(dt, Shape.of(100, 50), random);
        scores = filled(dt, Shape.of(100, 10), random);
        labels = backend.zeros(dt, Shape.of(100));
        for (int i = 0; i < 100; i++) {
            labels.set(i, i % 10);
        }
    }

    private Tensor filled(DType dt, Shape s, Random random) {
        Tensor t = backend.zeros(dt, s);
        for (int i = 0; i < t.size(); i++) {
            t.set(i, random.nextGaussian());
        }
        return t;
    }

    @TearDown
    public void tearDown() {
        backend.close();
    }

    /** Affine 784 → 50: {@code X·W + b}, then {@code dX = dY·Wᵀ}, {@code dW += Xᵀ·dY}, {@code db += Σ dY}. */
    @Benchmark
    public Tensor affine784x50() {
        affine1.forward(x, Mode.TRAIN);
        return affine1.backward(dHidden);
    }

    /** Affine 784 → 50 as the first layer of a network: no input gradient. */
    @Benchmark
    public Tensor affine784x50FirstLayer() {
        Tensor y = affine1.forward(x, Mode.TRAIN);
        affine1.backwardParameters(dHidden);
        return y;
    }

    /** ReLU on (100, 50). */
    @Benchmark
    public Tensor relu() {
        relu.forward(hidden, Mode.TRAIN);
        return relu.backward(dHidden);
    }

    /** Softmax cross-entropy on (100, 10) scores against class indices. */
    @Benchmark
    public Tensor softmaxCrossEntropy() {
        loss.forward(scores, labels);
        return loss.backward();
    }
}
