package dev.moire.runtime.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.moire.model.EdgeKind;
import dev.moire.model.Snapshot;
import dev.moire.runtime.MoireRuntime;
import dev.moire.runtime.RuntimeSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

final class VirtualThreadContentionTest {

  @Test
  @Timeout(120)
  void thousandVirtualThreads_contendOnALockAndASemaphore_andLeaveNoEdges() throws Exception {
    MoireRuntime runtime = MoireRuntime.create(RuntimeSettings.defaults());
    TrackedLock lock = new TrackedLock(runtime, "shared", false);
    TrackedSemaphore permits = new TrackedSemaphore(runtime, "permits", 3, false);
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger maxInside = new AtomicInteger();
    long[] counter = new long[1];
    CountDownLatch start = new CountDownLatch(1);
    CountDownLatch finished = new CountDownLatch(1_000);
    CountDownLatch exit = new CountDownLatch(1);
    AtomicBoolean sampling = new AtomicBoolean(true);
    List<Integer> lockHoldersPerSample = new ArrayList<>();
    List<Long> semaphoreHoldersPerSample = new ArrayList<>();

    Thread sampler =
        new Thread(
            () -> {
              while (sampling.get()) {
                Snapshot s = runtime.snapshot();
                lockHoldersPerSample.add(
                    (int)
                        s.edges().stream()
                            .filter(e -> e.kind() == EdgeKind.HOLDS && e.dst().equals(lock.id()))
                            .count());
                semaphoreHoldersPerSample.add(
                    s.edges().stream()
                        .filter(e -> e.kind() == EdgeKind.HOLDS && e.dst().equals(permits.id()))
                        .count());
              }
            },
            "sampler");
    sampler.start();

    try (ExecutorService vts = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> all = new ArrayList<>();
      for (int i = 0; i < 1_000; i++) {
        all.add(
            vts.submit(
                () -> {
                  start.await();
                  for (int round = 0; round < 5; round++) {
                    lock.lock();
                    try {
                      counter[0]++;
                    } finally {
                      lock.unlock();
                    }
                    permits.acquire();
                    try {
                      int n = inside.incrementAndGet();
                      maxInside.accumulateAndGet(n, Math::max);
                      Thread.yield();
                      inside.decrementAndGet();
                    } finally {
                      permits.release();
                    }
                  }
                  // Stay alive (in an untracked wait) so the check below sees every task.
                  finished.countDown();
                  exit.await();
                  return null;
                }));
      }
      start.countDown();
      try {
        finished.await();
        sampling.set(false);
        sampler.join();
        Snapshot end = runtime.snapshot();
        assertThat(end.entitiesOfKind(dev.moire.model.EntityKind.THREAD))
            .hasSizeGreaterThanOrEqualTo(1_000);
        assertThat(end.edges())
            .filteredOn(e -> e.kind() == EdgeKind.HOLDS || e.kind() == EdgeKind.WAITING_ON)
            .isEmpty();
      } finally {
        sampling.set(false);
        exit.countDown(); // never leave the virtual threads parked: close() would wait forever
      }
      for (Future<?> f : all) {
        f.get();
      }
    }

    assertThat(counter[0]).isEqualTo(5_000);
    assertThat(maxInside.get()).isBetween(1, 3);
    assertThat(lockHoldersPerSample).isNotEmpty().allMatch(n -> n <= 1);
    assertThat(semaphoreHoldersPerSample).allMatch(n -> n <= 3);
  }
}
