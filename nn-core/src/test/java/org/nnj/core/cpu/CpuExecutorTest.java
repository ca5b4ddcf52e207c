package org.nnj.core.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class CpuExecutorTest {

    @Test
    void everyPartRunsExactlyOnceManyTimesOver() {
        CpuExecutor executor = new CpuExecutor(3);
        try {
            int[] counts = new int[7];
            for (int round = 0; round < 20_000; round++) {
                executor.run(7, p -> counts[p]++);
            }
            int[] expected = new int[7];
            java.util.Arrays.fill(expected, 20_000);
            assertArrayEquals(expected, counts);
        } finally {
            executor.shutdown();
        }
    }

    @Test
    void aWorkersFailureReachesTheCallerAndTheExecutorStaysUsable() {
        CpuExecutor executor = new CpuExecutor(2);
        try {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> executor.run(2, p -> {
                if (p == 1) {
                    throw new IllegalArgumentException("part 1");
                }
            }));
            assertEquals("part 1", e.getMessage());
            AtomicInteger ran = new AtomicInteger();
            executor.run(2, p -> ran.incrementAndGet());
            assertEquals(2, ran.get());
        } finally {
            executor.shutdown();
        }
    }

    @Test
    void afterShutdownAndWhenNestedEverythingRunsOnTheCaller() {
        CpuExecutor executor = new CpuExecutor(2);
        AtomicInteger inner = new AtomicInteger();
        executor.run(2, p -> executor.run(2, q -> inner.incrementAndGet()));
        assertEquals(4, inner.get());
        executor.shutdown();
        executor.shutdown();
        Thread caller = Thread.currentThread();
        AtomicInteger onCaller = new AtomicInteger();
        executor.run(3, p -> {
            if (Thread.currentThread() == caller) {
                onCaller.incrementAndGet();
            }
        });
        assertEquals(3, onCaller.get());
    }

    @Test
    void concurrentCallersEachGetAllTheirParts() throws InterruptedException {
        CpuExecutor executor = new CpuExecutor(2);
        try {
            int callers = 4;
            CountDownLatch start = new CountDownLatch(1);
            AtomicReference<Throwable> error = new AtomicReference<>();
            Thread[] threads = new Thread[callers];
            AtomicInteger total = new AtomicInteger();
            for (int t = 0; t < callers; t++) {
                threads[t] = new Thread(() -> {
                    try {
                        start.await();
                        for (int round = 0; round < 2_000; round++) {
                            int[] seen = new int[5];
                            executor.run(5, p -> seen[p]++);
                            for (int s : seen) {
                                assertEquals(1, s);
                            }
                            total.addAndGet(5);
                        }
                    } catch (Throwable e) {
                        error.compareAndSet(null, e);
                    }
                });
                threads[t].start();
            }
            start.countDown();
            for (Thread t : threads) {
                t.join();
            }
            assertEquals(null, error.get());
            assertEquals(callers * 2_000 * 5, total.get());
        } finally {
            executor.shutdown();
        }
    }

    @Test
    void rejectsFewerThanOneThread() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new CpuExecutor(0));
        assertTrue(e.getMessage().contains("threads must be at least 1"));
    }
}
