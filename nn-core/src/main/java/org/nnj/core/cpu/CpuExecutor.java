package org.nnj.core.cpu;

import com.google.common.base.Preconditions;
import com.google.common.util.concurrent.ThreadFactoryBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the parts of one operation in parallel: part 0 on the caller's thread, the others on {@code threads - 1}
 * daemon workers. With one thread, or after {@link #shutdown()}, everything runs on the caller's thread. Which part
 * runs where never changes a result, because each part writes its own output elements.
 */
final class CpuExecutor {
    private static final Logger LOG = LoggerFactory.getLogger(CpuExecutor.class);

    /** One independent piece of work, numbered {@code 0 .. parts-1}. */
    @FunctionalInterface
    interface Part {
        void run(int part);
    }

    private final int threads;
    private final ExecutorService workers;

    CpuExecutor(int threads) {
        Preconditions.checkArgument(threads >= 1, "threads must be at least 1, got %s", threads);
        this.threads = threads;
        this.workers = threads == 1 ? null : Executors.newFixedThreadPool(threads - 1,
                new ThreadFactoryBuilder().setDaemon(true).setNameFormat("nnj-cpu-%d").build());
        LOG.debug("cpu executor with {} thread(s)", threads);
    }

    int threads() {
        return threads;
    }

    /** Runs {@code part.run(0 .. parts-1)}, returning when all are done; rethrows the first failure. */
    void run(int parts, Part part) {
        if (parts <= 1 || workers == null || workers.isShutdown()) {
            for (int p = 0; p < parts; p++) {
                part.run(p);
            }
            return;
        }
        List<Future<?>> futures = new ArrayList<>(parts - 1);
        try {
            for (int p = 1; p < parts; p++) {
                final int index = p;
                futures.add(workers.submit(() -> part.run(index)));
            }
        } catch (RejectedExecutionException e) {
            // shut down concurrently: finish the remaining parts here
            for (int p = futures.size() + 1; p < parts; p++) {
                part.run(p);
            }
        }
        RuntimeException failure = null;
        try {
            part.run(0);
        } catch (RuntimeException e) {
            failure = e;
        }
        boolean interrupted = false;
        for (Future<?> f : futures) {
            while (true) {
                try {
                    f.get();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true; // the parts write into the caller's tensors: wait for them regardless
                } catch (ExecutionException e) {
                    if (failure == null) {
                        Throwable cause = e.getCause();
                        failure = cause instanceof RuntimeException ? (RuntimeException) cause
                                : new IllegalStateException("cpu worker failed: " + cause, cause);
                    }
                    break;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Stops the workers; later calls run on the caller's thread. Idempotent. */
    void shutdown() {
        if (workers != null && !workers.isShutdown()) {
            workers.shutdown();
            LOG.debug("cpu executor shut down");
        }
    }
}
