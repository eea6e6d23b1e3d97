package dev.moire.samples.bad;

import dev.moire.junit.MoireTracked;
import dev.moire.model.findings.FindingKind;
import dev.moire.runtime.sync.TrackedLock;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@KnownBad(
    finding = FindingKind.DEADLOCK_CYCLE,
    story =
        "an inventory service on virtual threads reserves stock and bills in opposite lock orders;"
            + " the JDK's own deadlock detection cannot see virtual threads")
@MoireTracked
@Timeout(10)
final class VirtualThreadDeadlockSample {
  @Test
  void reserveAndBillOnVirtualThreads() throws Exception {
    TrackedLock stock = new TrackedLock("stock");
    TrackedLock billing = new TrackedLock("billing");
    CountDownLatch both = new CountDownLatch(2);
    Thread reserve = Thread.ofVirtual().name("reserve").start(() -> inOrder(stock, billing, both));
    Thread bill = Thread.ofVirtual().name("bill").start(() -> inOrder(billing, stock, both));
    reserve.join();
    bill.join();
  }

  static void inOrder(TrackedLock first, TrackedLock second, CountDownLatch both) {
    first.lock();
    try {
      both.countDown();
      both.await();
      second.lock();
      second.unlock();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      first.unlock();
    }
  }
}
