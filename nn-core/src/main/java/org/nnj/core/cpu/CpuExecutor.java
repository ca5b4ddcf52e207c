package org.nnj.core.cpu;

import com.google.common.base.Preconditions;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the parts of one operation in parallel on the caller's thread and {@code threads - 1} daemon workers. Parts are
 * claimed one at a time from a shared counter by whichever thread is free, so a worker that the operating system
 * deschedules (these machines are shared) holds up at most the one part it is running while the others take the rest;
 * callers split work into a few more parts than threads for that reason. Which part runs where never changes a
 * result, because each part writes its own output elements.
 *
 * <p>Hand-off costs no allocation: the caller publishes the {@link Part} through a worker's fields and an atomic state,
 * and a worker spins for {@link #SPIN_NANOS} after each job (training calls gemm every few tens of microseconds)
 * before parking. A worker that has not started when the parts run out is told to skip the job, so a descheduled
 * worker never makes a call slower than running it on one thread. A second caller arriving while the workers are
 * busy, a part that itself calls {@link #run}, one thread, or a shut-down executor: everything runs on the caller's
 * thread.
 */
final class CpuExecutor {
    private static final Logger LOG = LoggerFactory.getLogger(CpuExecutor.class);
    /** How long an idle worker polls for the next job before it parks. */
    static final long SPIN_NANOS = 50_000;
    /** How long a caller polls for a worker to finish before it parks (the worker unparks it). */
    static final long AWAIT_SPIN_NANOS = 200_000;

    /** One independent piece of work, numbered {@code 0 .. parts-1}. */
    @FunctionalInterface
    interface Part {
        void run(int part);
    }

    private static final int IDLE = 0;
    private static final int POSTED = 1;
    private static final int RUNNING = 2;
    private static final int FINISHED = 3;

    private final int threads;
    private final Worker[] workers;
    private final AtomicBoolean busy = new AtomicBoolean();
    /** The next part to claim in the current job. */
    private final AtomicInteger next = new AtomicInteger();
    private volatile boolean shutdown;

    CpuExecutor(int threads) {
        Preconditions.checkArgument(threads >= 1, "threads must be at least 1, got %s", threads);
        this.threads = threads;
        this.workers = new Worker[threads - 1];
        for (int w = 0; w < workers.length; w++) {
            workers[w] = new Worker();
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
            next.set(0);
            int used = Math.min(parts - 1, workers.length);
            for (int w = 0; w < used; w++) {
                workers[w].post(part, parts);
            }
            RuntimeException failure = null;
            try {
                claimAndRun(part, parts);
            } catch (RuntimeException e) {
                failure = e;
                next.set(parts); // no new parts for anyone
            }
            for (int w = 0; w < used; w++) {
                Throwable t = workers[w].finish();
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

    /** Runs parts claimed from {@link #next} until none is left. */
    private void claimAndRun(Part part, int parts) {
        for (int p = next.getAndIncrement(); p < parts; p = next.getAndIncrement()) {
            part.run(p);
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

    /** One worker thread: claims and runs parts of each posted job it takes up. */
    private final class Worker implements Runnable {
        private final AtomicInteger state = new AtomicInteger(IDLE);
        private Thread thread;
        /** Written by the caller before {@link #state} becomes POSTED, read by whoever claims the job. */
        private Part part;
        private int parts;
        private Throwable failure;
        private volatile boolean parked;
        private volatile Thread waiter;


        void post(Part p, int n) {
            part = p;
            parts = n;
            failure = null;
            state.set(POSTED);
            if (parked) {
                LockSupport.unpark(thread);
            }
        }

        /**
         * Completes the posted job once the caller has found no part left to claim: tells the worker to skip it if it
         * has not started, otherwise waits for its last part, spinning briefly, then parking until it unparks this
         * thread.
         *
         * @return the job's failure, or null
         */
        Throwable finish() {
            if (!state.compareAndSet(POSTED, IDLE)) {
                long start = System.nanoTime();
                int polls = 0;
                while (state.get() != FINISHED) {
                    if ((++polls & 63) != 0 || System.nanoTime() - start < AWAIT_SPIN_NANOS) {
                        Thread.onSpinWait();
                    } else {
                        waiter = Thread.currentThread();
                        if (state.get() != FINISHED) {
                            LockSupport.parkNanos(this, 1_000_000);
                        }
                        waiter = null;
                    }
                }
                state.set(IDLE);
            }
            Throwable t = failure;
            part = null;
            failure = null;
            return t;
        }

        private void runParts() {
            try {
                claimAndRun(part, parts);
            } catch (Throwable t) {
                failure = t;
                next.set(parts);
            }
        }

        @Override
        public void run() {
            while (true) {
                long spinStart = System.nanoTime();
                int polls = 0;
                while (state.get() != POSTED && !shutdown) {
                    if ((++polls & 63) != 0 || System.nanoTime() - spinStart < SPIN_NANOS) {
                        Thread.onSpinWait();
                    } else {
                        parked = true;
                        if (state.get() != POSTED && !shutdown) {
                            LockSupport.park(this);
                        }
                        parked = false;
                    }
                }
                if (shutdown) {
                    return; // a job posted meanwhile is taken back and run by its caller
                }
                if (state.compareAndSet(POSTED, RUNNING)) {
                    runParts();
                    state.set(FINISHED);
                    Thread w = waiter;
                    if (w != null) {
                        LockSupport.unpark(w);
                    }
                }
            }
        }
    }
}
