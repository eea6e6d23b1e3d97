package dev.moire.samples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.moire.junit.MoireAssertions;
import dev.moire.junit.MoireGraph;
import dev.moire.junit.MoireTracked;
import dev.moire.runtime.sync.TrackedLock;
import dev.moire.runtime.task.TrackedExecutorService;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A pool of workers totals orders into a shared ledger guarded by one lock. */
@MoireTracked
@Timeout(30)
final class WorkerPoolTest {
  static final class Ledger {
    private final TrackedLock lock = new TrackedLock("ledger");
    private long total;

    void add(long amount) {
      lock.lock();
      try {
        total += amount;
      } finally {
        lock.unlock();
      }
    }

    long total() {
      lock.lock();
      try {
        return total;
      } finally {
        lock.unlock();
      }
    }
  }

  @Test
  void everyOrderIsCounted_andNothingIsHeldAfterwards(MoireGraph graph) throws Exception {
    Ledger ledger = new Ledger();
    try (TrackedExecutorService workers =
        new TrackedExecutorService("workers", Executors.newFixedThreadPool(4))) {
      List<Callable<Long>> batches = new ArrayList<>();
      for (int b = 0; b < 20; b++) {
        long base = b * 100L;
        batches.add(
            () -> {
              long sum = 0;
              for (long i = base; i < base + 100; i++) {
                ledger.add(i);
                sum += i;
              }
              return sum;
            });
      }
      long expected = 0;
      for (Future<Long> f : workers.invokeAll(batches)) {
        expected += f.get();
      }
      assertThat(ledger.total()).isEqualTo(expected).isEqualTo(1_999_000L);
    }
    MoireAssertions.assertThat(graph.snapshot()).hasNoLeakedHolds().hasNoDeadlocks();
  }
}
