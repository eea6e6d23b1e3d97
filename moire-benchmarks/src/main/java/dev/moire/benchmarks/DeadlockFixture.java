package dev.moire.benchmarks;

import dev.moire.junit.MoireTracked;
import dev.moire.runtime.sync.TrackedLock;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A lock-order deadlock at default settings, for the detection latency: it records when the second
 * thread is about to block (the moment the deadlock forms).
 */
@MoireTracked
public class DeadlockFixture {
  static final AtomicReference<Instant> FORMED = new AtomicReference<>();

  @Test
  @Timeout(30)
  void inversion() throws Exception {
    TrackedLock a = new TrackedLock("a");
    TrackedLock b = new TrackedLock("b");
    CountDownLatch both = new CountDownLatch(2);
    Thread t1 = new Thread(() -> cross(a, b, both), "one");
    Thread t2 = new Thread(() -> cross(b, a, both), "two");
    t1.start();
    t2.start();
    t1.join();
    t2.join();
  }

  private static void cross(TrackedLock first, TrackedLock second, CountDownLatch both) {
    first.lock();
    try {
      both.countDown();
      both.await();
      FORMED.accumulateAndGet(Instant.now(), (x, y) -> x == null || y.isAfter(x) ? y : x);
      second.lock();
      second.unlock();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      first.unlock();
    }
  }
}
