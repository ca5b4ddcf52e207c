package org.nnj.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.nnj.api.DType;
import org.nnj.api.Shape;
import org.nnj.api.Tensor;
import org.nnj.core.cpu.CpuBackend;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
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
 * {@code c = op(a)·op(b)} on the cpu backend for the shapes the example networks multiply. The {@code gflops}
 * secondary result is the arithmetic rate (a multiply-add counts as two operations).
 *
 * <p>A shape is {@code m x k x n : TT}, where {@code TT} says whether {@code a} and {@code b} are transposed
 * ({@code N}/{@code T}), as in BLAS.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xms2g", "-Xmx2g"})
@State(Scope.Benchmark)
public class GemmBench {
    @Param({
        // the two-layer net (batch 100): forward, dW = Xᵀ·dY, dX = dY·Wᵀ
        "100x784x50:NN", "784x100x50:TN", "100x50x10:NN", "50x100x10:TN", "100x10x50:NT",
        // wide-mlp (batch 256): forward, dX, dW, and NumPy's reference square
        "256x784x1024:NN", "256x1024x1024:NN", "256x1024x1024:NT", "1024x256x1024:TN", "1024x1024x1024:NN",
        // the CNN's im2col multiplies (batch 100, 30 filters of 5x5 on 28x28)
        "57600x25x30:NT", "30x57600x25:TN", "57600x30x25:NN",
    })
    public String shape;

    @Param({"float32", "float64"})
    public String dtype;

    @Param({"1", "2"})
    public int threads;

    private CpuBackend backend;
    private Tensor a;
    private Tensor b;
    private Tensor c;
    private boolean transA;
    private boolean transB;
    private double flop;

    /** The arithmetic done, reported by JMH as a rate: GFLOP/s. */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Rate {
        public double gflops;

        @Setup(Level.Iteration)
        public void reset() {
            gflops = 0;
        }
    }

    @Setup
    public void setUp() {
        String[] parts = shape.split("[x:]");
        int m = Integer.parseInt(parts[0]);
        int k = Integer.parseInt(parts[1]);
        int n = Integer.parseInt(parts[2]);
        transA = parts[3].charAt(0) == 'T';
        transB = parts[3].charAt(1) == 'T';
        DType dt = DType.valueOf(dtype.toUpperCase(java.util.Locale.ROOT));
        backend = new CpuBackend(threads);
        SplittableRandom rnd = new SplittableRandom(42);
        a = random(dt, transA ? Shape.of(k, m) : Shape.of(m, k), rnd);
        b = random(dt, transB ? Shape.of(n, k) : Shape.of(k, n), rnd);
        c = backend.zeros(dt, Shape.of(m, n));
        flop = 2e-9 * m * n * k;
    }

    @TearDown
    public void tearDown() {
        backend.close();
    }

    private Tensor random(DType dt, Shape s, SplittableRandom rnd) {
        double[] v = new double[s.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = rnd.nextDouble(-1, 1);
        }
        return backend.fromArray(dt, s, v);
    }

    @Benchmark
    public Tensor gemm(Rate rate) {
        backend.gemm(transA, transB, 1.0, a, b, 0.0, c);
        rate.gflops += flop;
        return c;
    }
}
