package org.nnj.core.cpu;

import com.google.common.base.Preconditions;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the parts of one operation in parallel: part 0 (and every {@code threads}-th after it) on the caller's thread,
 * the others on {@code threads - 1} daemon workers, each worker always taking the same parts. Which part runs where
 * never changes a result, because each part writes its own output elements.
 *
 * <p>Hand-off costs no allocation: the caller publishes the {@link Part} and a sequence number through volatile
 * fields, and a worker spins for {@link #SPIN_NANOS} after each job (training calls gemm every few tens of
 * microseconds) before parking. A second caller arriving while the workers are busy, a part that itself calls
 * {@link #run}, one thread, or a shut-down executor: everything runs on the caller's thread.
 */
final class CpuExecutor {
    private static final Logger LOG = LoggerFactory.getLogger(CpuExecutor.class);
    /** How long an idle worker polls for the next job before it parks. */
    static final long SPIN_NANOS = 50_000;

    /** One independent piece of work, numbered {@code 0 .. parts-1}. */
    @FunctionalInterface
    interface Part {
        void run(int part);
    }

    private final int threads;
    private final Worker[] workers;
    private final AtomicBoolean busy = new AtomicBoolean();
    private volatile boolean shutdown;

    CpuExecutor(int threads) {
        Preconditions.checkArgument(threads >= 1, "threads must be at least 1, got %s", threads);
        this.threads = threads;
        this.workers = new Worker[threads - 1];
        for (int w = 0; w < workers.length; w++) {
            workers[w] = new Worker(w + 1);
            Thread t = new Thread(workers[w], "nnj-cpu-" + w);
            t.setDaemon(true);
            workers[w].thread = t;
            t.start();
        }
        LOG.debug("cpu executor with {} thread(s)", threads);
    }

    int threads() {
        return threads;
    }

    /** Runs {@code part.run(0 .. parts-1)}, returning when all are done; rethrows the first failure. */
    void run(int parts, Part part) {
        if (parts <= 1 || workers.length == 0 || shutdown || !busy.compareAndSet(false, true)) {
            for (int p = 0; p < parts; p++) {
                part.run(p);
            }
            return;
        }
        try {
            int used = Math.min(parts - 1, workers.length);
            for (int w = 0; w < used; w++) {
                workers[w].post(part, parts);
            }
            RuntimeException failure = null;
            try {
                for (int p = 0; p < parts; p += threads) {
                    part.run(p);
                }
            } catch (RuntimeException e) {
                failure = e;
            }
            for (int w = 0; w < used; w++) {
                Throwable t = workers[w].await();
                if (t != null && failure == null) {
                    failure = t instanceof RuntimeException ? (RuntimeException) t
                            : new IllegalStateException("cpu worker failed: " + t, t);
                }
            }
            if (failure != null) {
                throw failure;
            }
        } finally {
            busy.set(false);
        }
    }

    /** Stops the workers; later calls run on the caller's thread. Idempotent. */
    void shutdown() {
        if (!shutdown) {
            shutdown = true;
            for (Worker w : workers) {
                LockSupport.unpark(w.thread);
            }
            LOG.debug("cpu executor shut down");
        }
    }

    /** One worker thread: runs parts {@code index, index + threads, …} of each posted job. */
    private final class Worker implements Runnable {
        private final int index;
        private Thread thread;
        /** Written by the caller before {@link #posted}, read by the worker after it. */
        private Part part;
        private int parts;
        private Throwable failure;
        private volatile long posted;
        private volatile long done;
        private volatile boolean parked;
        private volatile Thread waiter;

        Worker(int index) {
            this.index = index;
        }

        void post(Part p, int n) {
            part = p;
            parts = n;
            failure = null;
            posted = posted + 1;
            if (parked) {
                LockSupport.unpark(thread);
            }
        }

        /** Waits for the posted job: spins briefly, then parks until the worker unparks it. */
        Throwable await() {
            long target = posted;
            long spins = 0;
            while (done != target) {
                if (++spins < 20_000) {
                    Thread.onSpinWait();
                } else if (!thread.isAlive()) {
                    // shut down between the caller's check and the post: the job never started, so run it here
                    runParts();
                    done = target;
                } else {
                    waiter = Thread.currentThread();
                    if (done != target) {
                        LockSupport.parkNanos(this, 1_000_000);
                    }
                    waiter = null;
                }
            }
            Throwable t = failure;
            part = null;
            return t;
        }

        private void runParts() {
            try {
                for (int p = index; p < parts; p += threads) {
                    part.run(p);
                }
            } catch (Throwable t) {
                failure = t;
            }
        }

        @Override
        public void run() {
            long seen = 0;
            while (true) {
                long spinStart = System.nanoTime();
                int polls = 0;
                while (posted == seen && !shutdown) {
                    if ((++polls & 63) != 0 || System.nanoTime() - spinStart < SPIN_NANOS) {
                        Thread.onSpinWait();
                    } else {
                        parked = true;
                        if (posted == seen && !shutdown) {
                            LockSupport.park(this);
                        }
                        parked = false;
                    }
                }
                if (posted == seen) {
                    return; // shut down with nothing pending
                }
                seen = posted;
                runParts();
                done = seen;
                Thread w = waiter;
                if (w != null) {
                    LockSupport.unpark(w);
                }
            }
        }
    }
}
