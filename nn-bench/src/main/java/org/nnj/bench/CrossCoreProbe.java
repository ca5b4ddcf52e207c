package org.nnj.bench;

import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import org.nnj.api.DType;
import org.nnj.api.Shape;
import org.nnj.api.Tensor;
import org.nnj.core.cpu.CpuBackend;

/**
 * Why the two-layer net's first multiply (100 × 784 × 50) is slower inside a training step than in {@link GemmBench}:
 * times that gemm alone, then with what a training step does to its operands between two calls. Not a JMH benchmark:
 * the work between calls must not be timed, and JMH's per-invocation setup is not meant for calls this short.
 * <ul>
 *   <li>{@code none}: back-to-back calls, as {@link GemmBench} makes them.</li>
 *   <li>{@code w}: the calling thread rewrites the weights between calls (as SGD does), so a second core that read
 *       them in the last call has to fetch them again from the first core's cache.</li>
 *   <li>{@code x}: the input is rewritten, split over the threads (as the gather does).</li>
 *   <li>{@code wx}: both.</li>
 *   <li>{@code idle}: the calling thread sleeps 1 ms between calls, long enough for the worker to stop spinning and
 *       park, so each call pays for waking it.</li>
 *   <li>{@code busyN}: the calling thread computes for N µs between calls (other work of a training loop: a data
 *       pipeline, small layers), without sleeping.</li>
 * </ul>
 *
 * <pre>java --add-modules jdk.incubator.vector -cp nn-bench/target/benchmarks.jar org.nnj.bench.CrossCoreProbe
 *     [THREADS] [none|w|x|wx|idle|busyN ...]</pre>
 *
 * Prints µs per gemm for each mode, the median of five rounds of 2,000 calls after two warm-up rounds.
 */
public final class CrossCoreProbe {
    private static final int ROUNDS = 5;
    private static final int CALLS = 2000;
    /** Where the busy modes' arithmetic goes, so that the JIT keeps it. */
    static double sink;

    private CrossCoreProbe() {
    }

    public static void main(String[] args) throws InterruptedException {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        String[] modes = args.length > 1 ? Arrays.copyOfRange(args, 1, args.length)
                : new String[] {"none", "w", "x", "wx", "idle"};
        try (CpuBackend be = new CpuBackend(threads)) {
            Tensor x = be.zeros(DType.FLOAT32, Shape.of(100, 784));
            Tensor w = be.zeros(DType.FLOAT32, Shape.of(784, 50));
            Tensor y = be.zeros(DType.FLOAT32, Shape.of(100, 50));
            Random random = new Random(3);
            for (int i = 0; i < x.size(); i++) {
                x.set(i, random.nextFloat());
            }
            for (int i = 0; i < w.size(); i++) {
                w.set(i, random.nextFloat() - 0.5f);
            }
            System.out.printf(Locale.ROOT, "gemm 100x784x50 float32, %d thread(s), us per call:%n", threads);
            for (String mode : modes) {
                double[] rounds = new double[ROUNDS + 2];
                for (int r = 0; r < rounds.length; r++) {
                    long total = 0;
                    for (int c = 0; c < CALLS; c++) {
                        if (mode.contains("w")) {
                            be.scale(w, 1.0, w); // one thread: 39,200 elements are below the parallel threshold
                        }
                        if (mode.contains("x")) {
                            be.scale(x, 1.0, x); // 78,400 elements: split over the threads
                        }
                        if (mode.equals("idle")) {
                            Thread.sleep(1);
                        } else if (mode.startsWith("busy")) {
                            long until = System.nanoTime() + 1000L * Integer.parseInt(mode.substring(4));
                            while (System.nanoTime() < until) {
                                sink += Math.sqrt(sink + c);
                            }
                        }
                        long t0 = System.nanoTime();
                        be.gemm(false, false, 1.0, x, w, 0.0, y);
                        total += System.nanoTime() - t0;
                    }
                    rounds[r] = total / 1e3 / CALLS;
                }
                double[] measured = Arrays.copyOfRange(rounds, 2, rounds.length);
                Arrays.sort(measured);
                System.out.printf(Locale.ROOT, "  %-5s %7.1f  (rounds: %s)%n", mode, measured[ROUNDS / 2],
                        Arrays.toString(Arrays.stream(measured).map(v -> Math.round(v * 10) / 10.0).toArray()));
            }
        }
    }
}
